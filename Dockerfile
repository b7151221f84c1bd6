# secretlint's container image, for people who build with Docker:
#   docker build -t secretlint .
#   docker run --rm -v "$PWD:/src" secretlint scan .
# The same image without a daemon: go run ./build/image -o dist/oci
# (see docs/ci.md). Both are a static binary, CA certificates and a non-root
# user on an empty base; git history is read with go-git.
FROM golang:1.26-bookworm AS build
WORKDIR /go/src/secretlint
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -buildid=" -o /out/secretlint ./cmd/secretlint \
 && mkdir -p /out/etc /out/home/nonroot /out/src /out/tmp \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd \
 && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/etc/group

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/etc/ /etc/
COPY --from=build --chown=65532:65532 /out/home/nonroot /home/nonroot
COPY --from=build /out/src /src
COPY --from=build --chmod=1777 /out/tmp /tmp
COPY --from=build /out/secretlint /usr/local/bin/secretlint
ENV PATH=/usr/local/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt HOME=/home/nonroot
USER 65532:65532
WORKDIR /src
LABEL org.opencontainers.image.source="https://github.com/secretlint/secretlint" \
      org.opencontainers.image.title="secretlint"
ENTRYPOINT ["/usr/local/bin/secretlint"]
CMD ["--help"]
