"""The Telegram front end: PTB Application, thin handlers, sender and wording."""
