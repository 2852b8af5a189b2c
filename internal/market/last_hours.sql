-- The market per hour over the {span:UInt32} hours up to the latest crawled hour before {to}, as
-- each hour's last crawl saw it: a site whose crawls stopped (or a demo store) shows its last weeks,
-- dated, instead of an empty chart.
SELECT hour, toUInt64(crawls), toUInt64(groups), toUInt64(hits), toDecimal128(reward_available, 2)
FROM market_hourly
WHERE hour < {to:DateTime64(3, 'UTC')}
  AND hour > (SELECT max(hour) FROM market_hourly WHERE hour < {to:DateTime64(3, 'UTC')}) - toIntervalHour({span:UInt32})
ORDER BY hour
