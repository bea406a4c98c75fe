"""Pure analysis: a MarketSnapshot in, a Report out; no I/O, no chat libraries."""
