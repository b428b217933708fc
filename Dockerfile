# syntax=docker/dockerfile:1
# Production image: Node 22 LTS, dependencies installed with the same `npm ci` the tests use.

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data/db
# pg_dump / pg_restore (15) for `coworkbot backup|restore` and scheduled backups on PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY flows ./flows
COPY locales ./locales
COPY prompts ./prompts
COPY data ./data
# src/ compiled to plain JavaScript in dist/ (bin/coworkbot.js runs it: ~50 MB less memory than tsx),
# then the migrated embedded database a new DATA_DIR starts as a copy of (a first start in ~2 s, not ~10 s).
RUN node bin/build.js && node bin/coworkbot.js migrate --template
RUN mkdir -p /data /backups && chown -R node:node /data /backups
USER node
EXPOSE 3000
VOLUME ["/data", "/backups"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Same entry point as `npm start`; migrations run at start (or once with `coworkbot migrate`).
CMD ["node", "bin/coworkbot.js", "start"]
