# Reading Room: one image for the api (`npm start`) and, later, the worker (`npm run worker`).
# The service runs its TypeScript directly with tsx (a production dependency), so there is no
# compile step: the build stage only installs the production node_modules.

# ---- build stage: production dependencies, with the tools to compile native addons ----------------
FROM node:24-bookworm-slim AS deps

# better-sqlite3 (12.x) is a native addon. Its install script tries a prebuilt binary first
# (prebuild-install) and falls back to `node-gyp rebuild`, which needs python3, make and g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The manifest and lock file alone first, so this layer is rebuilt only when dependencies change.
# Install scripts must run (no --ignore-scripts): package.json's "allowScripts" lets npm 11 run
# better-sqlite3's.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime stage: same base (same Node ABI, same glibc), no compilers ---------------------------
FROM node:24-bookworm-slim

# DejaVu Sans for the call slips (PDF): Helvetica, PDFKit's own font, has no Cyrillic or Polish
# letters, and the Victor Serge papers' readers write in both.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/app/data/reading-room.sqlite \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# Application files stay owned by root, read-only to the `node` user that runs them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src/ ./src/
COPY db/ ./db/
COPY workers/ ./workers/
COPY templates/ ./templates/

# The SQLite file, its WAL, the generated JWT secret and the mail/ folder all live beside
# DATABASE_PATH, so /app/data is the only place the process writes. Create it owned by `node`
# before declaring the volume, so a fresh named volume starts with that ownership.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

USER node

EXPOSE 3000

# Slim images have no curl: ask Node's own fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["npm", "start"]
