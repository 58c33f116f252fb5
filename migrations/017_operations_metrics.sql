-- /metrics counts failed sync tasks at every scrape: a partial index holds only those rows (few,
-- and written rarely), so the count never scans the whole task history.
create index sync_tasks_failed_idx on sync_tasks (tenant_id) where status = 'FAILED';
