-- Primary keys, the change-tracking trigger and the indexes the extractor
-- uses (updated_at, for incremental reads). Applied after bulk loads.

ALTER TABLE partners ADD PRIMARY KEY (id);
ALTER TABLE partner_status_history ADD PRIMARY KEY (id);
ALTER TABLE partner_applications ADD PRIMARY KEY (id);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE styles ADD PRIMARY KEY (id);
ALTER TABLE b2c_users ADD PRIMARY KEY (id);
ALTER TABLE generations ADD PRIMARY KEY (id);
ALTER TABLE credit_transactions ADD PRIMARY KEY (id);
ALTER TABLE subscriptions ADD PRIMARY KEY (id);
ALTER TABLE health_checks ADD PRIMARY KEY (id);
ALTER TABLE api_requests ADD PRIMARY KEY (id);
ALTER TABLE activity_log ADD PRIMARY KEY (id);
ALTER TABLE sessions ADD PRIMARY KEY (id);
ALTER TABLE session_steps ADD PRIMARY KEY (id);
ALTER TABLE loyalty_brands ADD PRIMARY KEY (id);
ALTER TABLE loyalty_rewards ADD PRIMARY KEY (id);
ALTER TABLE loyalty_perks ADD PRIMARY KEY (id);
ALTER TABLE loyalty_transactions ADD PRIMARY KEY (id);

CREATE INDEX partners_updated_at_idx ON partners (updated_at);
CREATE INDEX partner_status_history_updated_at_idx ON partner_status_history (updated_at);
CREATE INDEX partner_applications_updated_at_idx ON partner_applications (updated_at);
CREATE INDEX events_updated_at_idx ON events (updated_at);
CREATE INDEX styles_updated_at_idx ON styles (updated_at);
CREATE INDEX b2c_users_updated_at_idx ON b2c_users (updated_at);
CREATE INDEX generations_updated_at_idx ON generations (updated_at);
CREATE INDEX credit_transactions_updated_at_idx ON credit_transactions (updated_at);
CREATE INDEX subscriptions_updated_at_idx ON subscriptions (updated_at);
CREATE INDEX health_checks_updated_at_idx ON health_checks (updated_at);
CREATE INDEX api_requests_updated_at_idx ON api_requests (updated_at);
CREATE INDEX activity_log_updated_at_idx ON activity_log (updated_at);
CREATE INDEX sessions_updated_at_idx ON sessions (updated_at);
CREATE INDEX session_steps_updated_at_idx ON session_steps (updated_at);
CREATE INDEX loyalty_brands_updated_at_idx ON loyalty_brands (updated_at);
CREATE INDEX loyalty_rewards_updated_at_idx ON loyalty_rewards (updated_at);
CREATE INDEX loyalty_perks_updated_at_idx ON loyalty_perks (updated_at);
CREATE INDEX loyalty_transactions_updated_at_idx ON loyalty_transactions (updated_at);

CREATE TRIGGER partners_touch BEFORE UPDATE ON partners
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER partner_status_history_touch BEFORE UPDATE ON partner_status_history
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER partner_applications_touch BEFORE UPDATE ON partner_applications
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER events_touch BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER styles_touch BEFORE UPDATE ON styles
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER b2c_users_touch BEFORE UPDATE ON b2c_users
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER generations_touch BEFORE UPDATE ON generations
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER credit_transactions_touch BEFORE UPDATE ON credit_transactions
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER subscriptions_touch BEFORE UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER health_checks_touch BEFORE UPDATE ON health_checks
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER api_requests_touch BEFORE UPDATE ON api_requests
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER activity_log_touch BEFORE UPDATE ON activity_log
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER sessions_touch BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER session_steps_touch BEFORE UPDATE ON session_steps
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER loyalty_brands_touch BEFORE UPDATE ON loyalty_brands
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER loyalty_rewards_touch BEFORE UPDATE ON loyalty_rewards
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER loyalty_perks_touch BEFORE UPDATE ON loyalty_perks
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER loyalty_transactions_touch BEFORE UPDATE ON loyalty_transactions
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
