"""Chat front ends (Telegram, Discord) and the scheduler that delivers the daily report."""
