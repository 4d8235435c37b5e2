# syntax=docker/dockerfile:1
# alerts: the daily news-alert service as a container image.
#   docker build -t alerts .
#   docker compose up --build     replicas on PostgreSQL, Mailpit, one web entry (docker-compose.yml)
#   docker run -v alerts-data:/data -v "$PWD/my.toml:/etc/alerts/alerts.toml:ro" alerts
#                                 one box on SQLite: mount a volume at /data or the database dies
#                                 with the container
#
# Layout: the source tree lives at /app (alerts/, templates/), installed in editable mode into the
# virtualenv /opt/venv, so the package finds its templates at alerts/../templates exactly as in a
# checkout. /app is owned by root and read-only to the service; the working directory /data is the
# only place it may write, so relative paths in a config (data/alerts.db, outbox/) land there.
# The web pages and /healthz listen on [web] port, 8080 unless the config says otherwise; the
# HEALTHCHECK below assumes 8080 and [web] enabled.

FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
# Dependencies in their own layer: a stand-in package lets pip resolve them from pyproject.toml,
# so a change to the code does not reinstall them. The editable install maps `alerts` to
# /app/alerts, where the runtime stage puts the real package. psycopg[binary] and lxml ship
# manylinux wheels with their C libraries inside, so no compiler or apt package is needed.
COPY pyproject.toml README.md ./
RUN mkdir alerts \
    && touch alerts/__init__.py \
    && /opt/venv/bin/pip install --no-cache-dir --editable .

FROM python:3.11-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="alerts" \
      org.opencontainers.image.description="Daily news alerts: polls feeds, emails one digest a day"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ALERTS_CONFIG=/etc/alerts/alerts.toml
RUN groupadd --system --gid 10001 alerts \
    && useradd --system --uid 10001 --gid alerts --no-log-init \
       --home-dir /data --shell /usr/sbin/nologin alerts \
    && mkdir -p /data \
    && chown alerts:alerts /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY alerts/ alerts/
COPY templates/ templates/
# The default config; mount your own over it (read-only) or point ALERTS_CONFIG elsewhere.
COPY config/alerts.toml /etc/alerts/alerts.toml
RUN python -m compileall -q alerts
WORKDIR /data
USER 10001:10001
EXPOSE 8080
# Healthy while /healthz answers 200 ("ok" or "degraded"); 503 (the database does not answer) or
# no answer at all makes urlopen raise, and python exits 1. Slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["alerts", "run"]
