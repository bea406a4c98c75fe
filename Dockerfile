# marketbot: runs the Telegram bot and its delivery scheduler (`marketbot run`) by default;
# pass another command to run something else, e.g. `docker run --rm marketbot report --demo`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK glyphs for the table images (index names such as 上证指数).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
COPY core ./core
COPY renderers ./renderers
RUN pip install '.[postgres]' && rm -rf /src

RUN useradd --create-home --uid 10001 marketbot
USER marketbot
# A writable working folder for the default SQLite database.
WORKDIR /home/marketbot
RUN mkdir -p /home/marketbot/data

ENTRYPOINT ["marketbot"]
CMD ["run"]
