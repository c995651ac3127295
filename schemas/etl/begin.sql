-- First step of every ETL run, inside the load transaction: empty staging.
-- TRUNCATE is transactional; a run that fails restores the previous contents
-- (which nothing reads anyway).
TRUNCATE staging.partners, staging.partner_status_history, staging.partner_applications,
         staging.events, staging.styles, staging.b2c_users, staging.generations,
         staging.credit_transactions, staging.subscriptions, staging.health_checks,
         staging.api_requests, staging.activity_log, staging.sessions, staging.session_steps,
         staging.loyalty_brands, staging.loyalty_rewards, staging.loyalty_perks,
         staging.loyalty_transactions;
