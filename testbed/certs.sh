# Certificates for the testbed (sourced by up.sh): one CA signs every serving and client cert.
# make_certs <dir> [extra SANs]: writes ca, admin (system:masters client + apiserver serving), front-proxy
# client, kwok and metrics-server serving certs, and the service-account signing key pair.

# sign <dir> <name> <subject> <extendedKeyUsage> [subjectAltName]
sign() {
  local dir="$1" name="$2" subject="$3" usage="$4" san="${5:-}"
  local ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage"
  [[ -n "$san" ]] && ext+="
subjectAltName=$san"
  openssl req -new -newkey rsa:2048 -nodes -subj "$subject" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile <(echo "$ext") -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr"
}

make_certs() {
  local dir="$1" extra="${2:+,$2}"
  mkdir -p "$dir"
  openssl req -x509 -new -newkey rsa:2048 -nodes -days 3650 -sha256 -subj "/CN=shipshape-testbed-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  local loopback="DNS:localhost,IP:127.0.0.1"
  sign "$dir" admin "/O=system:masters/CN=admin" serverAuth,clientAuth \
    "$loopback,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1$extra"
  # The aggregator proxies to metrics-server with this identity; requestheader trusts its CN.
  sign "$dir" front-proxy-client "/CN=front-proxy-client" clientAuth
  sign "$dir" kwok "/CN=kwok" serverAuth "$loopback"
  sign "$dir" metrics-server "/CN=metrics-server" serverAuth "$loopback,DNS:metrics-server.kube-system.svc"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
}
