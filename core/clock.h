/* clock.h: a monotonic clock for measuring how long work takes. */
#ifndef ALMANAC_CORE_CLOCK_H
#define ALMANAC_CORE_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: only differences mean anything. */
double clock_seconds(void);

#endif
