# syntax=docker/dockerfile:1
# alerts: the daily news-alert service as a container.
#   docker build -t alerts .          docker compose up   (service + Mailpit, see docker-compose.yml)
#
# Layout: the source tree lives at /app (alerts/, templates/, config/), installed in editable
# mode into the virtualenv /opt/venv, so the package finds its templates at alerts/../templates
# exactly as in a checkout. Everything under /app is owned by root and read-only to the service;
# the only writable place is the /data volume, which is also the working directory, so relative
# paths in a config (data/alerts.db, outbox/) land on the volume.

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
# Dependencies in their own layer: a stand-in package lets pip resolve them from pyproject.toml,
# so a change to the code does not reinstall them. The editable install maps `alerts` to
# /app/alerts, where the runtime stage puts the real package.
COPY pyproject.toml README.md ./
RUN mkdir alerts \
    && touch alerts/__init__.py \
    && /opt/venv/bin/pip install --no-cache-dir --editable .

FROM python:3.11-slim AS runtime
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
COPY pyproject.toml README.md ./
COPY alerts/ alerts/
COPY templates/ templates/
COPY config/ config/
# The default config; mount your own over it (read-only) or point ALERTS_CONFIG elsewhere.
COPY config/alerts.toml /etc/alerts/alerts.toml
RUN python -m compileall -q alerts
WORKDIR /data
VOLUME ["/data"]
USER 10001:10001
# Until the service serves /healthz: a container is healthy when its config still loads.
HEALTHCHECK --interval=1m --timeout=10s --start-period=20s --retries=3 \
    CMD ["alerts", "check-config"]
CMD ["alerts", "run"]
