# aliastrail's image: `docker build -t aliastrail .`. docker-compose.yml runs it against a PostgreSQL
# container; without DATABASE_URL it starts its embedded PostgreSQL in the data volume instead.
# Node 24 LTS, one of the two majors package.json's engines names; the other builds with
# `--build-arg NODE_IMAGE=node:22-bookworm-slim`.
ARG NODE_IMAGE=node:24-bookworm-slim

# Every dependency (TypeScript, Vite, ...), then `npm run build`: the service in dist/src, the console
# in dist/console-web. The compiled test support (dist/test) stays here.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && rm -rf dist/test

# The production dependencies alone, with their install scripts run here (the embedded PostgreSQL's
# binaries, @embedded-postgres/<platform>, restore their library links in theirs).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# HOST=0.0.0.0: reachable through a published port (the service's own default is loopback only).
# The data directory holds what must outlive the container: the generated bootstrap credential, the
# ledger's signing key, the root key that wraps all key material and, without DATABASE_URL, the
# embedded PostgreSQL's cluster. Keep it on a volume, and back it up with the database.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ALIASTRAIL_DATA_DIR=/var/lib/aliastrail
WORKDIR /app
# Owned by root and read-only to the service: it writes to the data directory only.
COPY --from=prod-deps /app/node_modules ./node_modules
# package.json marks the project root, where the migrator looks for db/migrations and db/functions.
COPY package.json package-lock.json ./
COPY db ./db
# npm start / npm run cli use bin/run-built.js; the image holds the build and no sources to rebuild from.
COPY bin ./bin
ENV ALIASTRAIL_SKIP_BUILD=1
COPY --from=build /app/dist ./dist
# The official node images' unprivileged user (uid 1000); PostgreSQL, embedded, refuses to run as root.
RUN mkdir -p /var/lib/aliastrail && chown node:node /var/lib/aliastrail && chmod 700 /var/lib/aliastrail
USER node
VOLUME ["/var/lib/aliastrail"]
EXPOSE 3000
# Ready: the database answers, migrations applied, subscriptions running, writes possible (503 otherwise).
HEALTHCHECK --interval=10s --timeout=5s --start-period=2m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) closes HTTP, the subscriptions and the pool, and stops an embedded PostgreSQL.
CMD ["node", "dist/src/main.js"]
