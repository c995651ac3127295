-- One brand's loyalty transactions of a period: the per-brand loyalty
-- statement (schemas/reports/loyalty/transactions.sql and claims.sql) reads
-- them brand after brand.
--
-- Through the BRIN index on created_at each brand's statement read the
-- whole month of every brand: at scale 10, 300 brands times two queries
-- over about 110,000 rows, 46 s of the monthly job. Within a brand the
-- rows arrive in time order, so a day's load appends to the end of each
-- brand's range (a few hundred leaf pages), not to random pages.
CREATE INDEX fact_loyalty_transaction_brand_idx ON dw.fact_loyalty_transaction
    (brand_id, created_at);
