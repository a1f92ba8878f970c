# The Grafana app plugin for docker compose: built here from the sources, then copied into the
# plugin-dist volume Grafana loads it from, so `docker compose up` never starts a Grafana whose
# provisioning enables a plugin it does not have (Grafana refuses to start then).
# Node 22 for the build; the result is static files.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/prober/package.json packages/prober/
COPY packages/sandbox/package.json packages/sandbox/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && test -f dist/plugin.json

FROM node:22-bookworm-slim
COPY --from=build /src/dist /plugin
# One shot: replace the volume's content with this build and exit.
CMD ["sh", "-c", "rm -rf /out/* && cp -a /plugin/. /out/ && echo 'apimon plugin copied to the Grafana plugin volume'"]
