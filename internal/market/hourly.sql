-- The market per hour in [from, to), as each hour's last crawl saw it.
SELECT hour, toUInt64(crawls), toUInt64(groups), toUInt64(hits), toDecimal128(reward_available, 2)
FROM market_hourly
WHERE hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
ORDER BY hour
