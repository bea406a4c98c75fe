"""The `marketbot` command line, the chat front ends (Telegram, Discord) and the scheduler."""
