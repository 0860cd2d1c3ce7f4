# syntax=docker/dockerfile:1
# tzero: multi-stage build, non-root runtime, exec-form start so SIGTERM reaches node.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` when npm ci rejects the lock over an unavailable optional platform package
# (npm/cli#9846); it still installs the locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    RUNBOOKS_DIR=/app/runbooks
WORKDIR /app
# shell steps run commands: keep the tools most runbooks call (ssh, curl) in the image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-client curl ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
COPY bin ./bin
RUN mkdir -p /app/runbooks && chown -R node:node /app/runbooks
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tini reaps the process groups shell steps leave behind; node gets SIGTERM and shuts down cleanly.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/index.js"]
