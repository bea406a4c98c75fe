"""The Discord front end: a commands.Bot with one cog per feature, a sender and the wording."""
