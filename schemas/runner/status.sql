-- Per job: the latest run, the latest success, and how the latest ended.
SELECT j.job,
       (SELECT period FROM ops.job_runs r WHERE r.job = j.job ORDER BY job_run_id DESC LIMIT 1),
       (SELECT started_at::text FROM ops.job_runs r WHERE r.job = j.job ORDER BY job_run_id DESC LIMIT 1),
       (SELECT status FROM ops.job_runs r WHERE r.job = j.job ORDER BY job_run_id DESC LIMIT 1),
       (SELECT exit_code FROM ops.job_runs r WHERE r.job = j.job ORDER BY job_run_id DESC LIMIT 1),
       (SELECT period FROM ops.job_runs r WHERE r.job = j.job AND status = 'success'
        ORDER BY period_start DESC LIMIT 1),
       (SELECT finished_at::text FROM ops.job_runs r WHERE r.job = j.job AND status = 'success'
        ORDER BY job_run_id DESC LIMIT 1)
FROM (SELECT DISTINCT job FROM ops.job_runs) j
ORDER BY j.job
