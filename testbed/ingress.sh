# The data plane's ingress (sourced by up.sh for `--data-plane`): Traefik as a pod, reached from
# the host through relays on 127.0.0.1; Pebble, the ACME server that Traefik's resolver (TLS-ALPN-01)
# and cert-manager (HTTP-01) get real certificates from, validated through Traefik; and
# cert-manager's controller. Uses up.sh's start, wait_for, fail and kubectl, and dataplane.sh's
# image tables.
#
# The path of a request: 127.0.0.1:<ingress_http|https port> → socat → node 1's address, the
# Service's NodePort → kube-proxy → the Traefik pod → the app's pod IPs (Traefik balances over
# the EndpointSlices itself, as in a real cluster). The test domain resolves, in CoreDNS, to
# node 1's address; Pebble asks CoreDNS, so its checks take the same NodePort path.

INGRESS_DOMAIN=example.test
INGRESS_RESOLVER=pebble
# cert-manager's ClusterIssuer for standard Ingresses, against the same Pebble.
INGRESS_CLUSTER_ISSUER=pebble
# Traefik's Service: fixed NodePorts, since Pebble's HTTP-01 and TLS-ALPN-01 ports must be known
# when it starts.
INGRESS_NODEPORT_HTTP=30080
INGRESS_NODEPORT_HTTPS=30443
PEBBLE_PORT=14000
PEBBLE_MANAGEMENT_PORT=15000

ingress_build() {
  local name ref tar
  read -r name ref tar <<<"$("$here/build-ingress.sh")"
  IMAGE_REFS[$name]="$ref" IMAGE_TARS[$name]="$tar"
  read -r name ref tar <<<"$("$here/build-cert-manager.sh")"
  IMAGE_REFS[$name]="$ref" IMAGE_TARS[$name]="$tar"
}

# A server block for the test domain: every name in it is node 1, where the ingress answers.
ingress_dns_zone() {
  cat <<EOF
$INGRESS_DOMAIN:53 {
  bind $bridge_ip
  errors
  template IN A $INGRESS_DOMAIN {
    answer "{{ .Name }} 5 IN A $(node_ip 1)"
  }
  template ANY ANY $INGRESS_DOMAIN {
    rcode NOERROR
  }
}
EOF
}

# Pebble on the host, on the bridge address only (the pods reach it there, as they reach
# CoreDNS), serving TLS with a certificate from the testbed's CA, which Traefik trusts.
write_pebble_config() {
  local dir="$STATE/pebble"
  mkdir -p "$dir"
  sign "$pki" pebble "/CN=pebble" serverAuth "IP:$bridge_ip"
  jq -n --arg listen "$bridge_ip:$PEBBLE_PORT" --arg manage "$bridge_ip:$PEBBLE_MANAGEMENT_PORT" \
    --arg cert "$pki/pebble.crt" --arg key "$pki/pebble.key" --argjson http "$INGRESS_NODEPORT_HTTP" \
    --argjson tls "$INGRESS_NODEPORT_HTTPS" '{pebble: {listenAddress: $listen,
      managementListenAddress: $manage, certificate: $cert, privateKey: $key,
      httpPort: $http, tlsPort: $tls, ocspResponderURL: "", externalAccountBindingRequired: false}}' \
    >"$dir/config.json"
}

pebble_root() { curl -fsS --max-time 2 --cacert "$pki/ca.crt" "https://$bridge_ip:$PEBBLE_MANAGEMENT_PORT/roots/0"; }

traefik_objects() {
  local api_endpoint="https://$bridge_ip:$api_port"
  cat "$TRAEFIK_CACHE/crds.yaml"
  cat <<EOF
---
apiVersion: v1
kind: Namespace
metadata: {name: traefik}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: traefik, namespace: traefik}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: traefik}
rules:
- apiGroups: [""]
  resources: [services, endpoints, secrets, nodes]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses, ingressclasses]
  verbs: [get, list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses/status]
  verbs: [update]
- apiGroups: [traefik.io]
  resources: ["*"]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: traefik}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: traefik}
subjects: [{kind: ServiceAccount, name: traefik, namespace: traefik}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: traefik.io/ingress-controller}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: testbed-ca, namespace: traefik}
data:
  ca.crt: |
$(sed 's/^/    /' "$pki/ca.crt")
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: traefik, namespace: traefik}
spec:
  replicas: 1
  # One replica holds the ACME account and certificates (Traefik's open-source resolver is not
  # shared between replicas), so a new one starts only after the old one is gone.
  strategy: {type: Recreate}
  selector: {matchLabels: {app: traefik}}
  template:
    metadata: {labels: {app: traefik}}
    spec:
      serviceAccountName: traefik
      containers:
      - name: traefik
        image: $(image_ref traefik)
        imagePullPolicy: Never
        args:
        - --entryPoints.web.address=:8000
        - --entryPoints.websecure.address=:8443
        # As Traefik's Helm chart does: every router on websecure serves TLS, so a standard
        # Ingress's spec.tls is served over HTTPS without Traefik's own annotations.
        - --entryPoints.websecure.http.tls=true
        - --ping=true
        - --log.level=INFO
        # Failed requests only: at load-test rates a full access log costs more than it tells.
        - --accessLog=true
        - --accessLog.filters.statusCodes=500-599
        # The kubernetes Service has no endpoints here (the apiserver is on loopback): the
        # providers use the service account's token and CA against the relay on the bridge.
        - --providers.kubernetesCRD.endpoint=$api_endpoint
        - --providers.kubernetesIngress.endpoint=$api_endpoint
        - --certificatesResolvers.$INGRESS_RESOLVER.acme.caServer=https://$bridge_ip:$PEBBLE_PORT/dir
        - --certificatesResolvers.$INGRESS_RESOLVER.acme.email=admin@$INGRESS_DOMAIN
        - --certificatesResolvers.$INGRESS_RESOLVER.acme.storage=/data/acme.json
        # TLS-ALPN-01, not HTTP-01: a resolver with an HTTP challenge answers every
        # /.well-known/acme-challenge/ request on its entry point itself (404 for a token it did not
        # ask for), so cert-manager's HTTP-01 solvers behind the same entry point were never reached.
        - --certificatesResolvers.$INGRESS_RESOLVER.acme.tlsChallenge=true
        env:
        # lego (Traefik's ACME client) trusts Pebble's listener through the testbed's CA.
        - {name: LEGO_CA_CERTIFICATES, value: /etc/testbed-ca/ca.crt}
        ports:
        - {name: web, containerPort: 8000}
        - {name: websecure, containerPort: 8443}
        readinessProbe:
          httpGet: {path: /ping, port: 8080}
          periodSeconds: 2
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: ca, mountPath: /etc/testbed-ca}
      volumes:
      - {name: data, emptyDir: {}}
      - {name: ca, configMap: {name: testbed-ca}}
---
apiVersion: v1
kind: Service
metadata: {name: traefik, namespace: traefik}
spec:
  type: NodePort
  selector: {app: traefik}
  # Port 80 (and 443) on node 1's address too, where the test domain resolves: cert-manager's
  # HTTP-01 self-check asks http://<host>/ on port 80, as a user's browser would.
  externalIPs: [$(node_ip 1)]
  ports:
  - {name: web, port: 80, targetPort: web, nodePort: $INGRESS_NODEPORT_HTTP}
  - {name: websecure, port: 443, targetPort: websecure, nodePort: $INGRESS_NODEPORT_HTTPS}
EOF
}

traefik_ready() {
  [[ "$(kubectl -n traefik get deployment traefik -o jsonpath='{.status.readyReplicas}')" == 1 ]]
}

# What tests read to reach the ingress, merged into kube-public/testbed.
ingress_published() {
  jq -n --arg http "127.0.0.1:$ingress_http_port" --arg https "127.0.0.1:$ingress_https_port" \
    --arg domain "$INGRESS_DOMAIN" --arg resolver "$INGRESS_RESOLVER" --rawfile ca "$STATE/pebble/root.pem" \
    --arg issuer "$INGRESS_CLUSTER_ISSUER" '{data: {"ingress.http": $http, "ingress.https": $https,
      "ingress.domain": $domain, "ingress.certResolver": $resolver, "ingress.clusterIssuer": $issuer,
      "ingress.ca": $ca}}'
}

# The namespace of the issuer's account key, and the ClusterIssuer: ACME from Pebble (its
# listener's certificate is from the testbed's CA, given as caBundle), HTTP-01 answered by solver
# pods behind an Ingress of Traefik's class.
cert_manager_objects() {
  cat <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: cert-manager}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: $INGRESS_CLUSTER_ISSUER}
spec:
  acme:
    server: https://$bridge_ip:$PEBBLE_PORT/dir
    email: admin@$INGRESS_DOMAIN
    caBundle: $(base64 -w0 "$pki/ca.crt")
    privateKeySecretRef: {name: $INGRESS_CLUSTER_ISSUER-account}
    solvers:
    - http01:
        ingress: {ingressClassName: traefik, serviceType: ClusterIP}
EOF
}

cluster_issuer_ready() {
  [[ "$(kubectl get clusterissuer "$INGRESS_CLUSTER_ISSUER" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}

# The controller runs on the host (as the provisioner does), with the admin kubeconfig; its
# HTTP-01 self-check resolves the test domain through CoreDNS, as Pebble does.
cert_manager_start() {
  # The CRDs first: a ClusterIssuer is accepted only once its kind is established.
  kubectl apply --server-side -f "$CERT_MANAGER_CACHE/crds.yaml" >/dev/null &&
    kubectl wait --for condition=Established --timeout 60s -f "$CERT_MANAGER_CACHE/crds.yaml" >/dev/null &&
    cert_manager_objects | kubectl apply -f - >/dev/null ||
    fail kube-apiserver "could not create cert-manager's CRDs and ClusterIssuer"
  start cert-manager "$CERT_MANAGER_CACHE/bin/cert-manager-controller" --kubeconfig "$KUBECONFIG_FILE" \
    --acme-http01-solver-image "$(image_ref acmesolver)" --acme-http01-solver-nameservers "$bridge_ip:53"
  wait_for cert-manager 60 "ClusterIssuer $INGRESS_CLUSTER_ISSUER to register its ACME account" cluster_issuer_ready
}

ingress_start() {
  write_pebble_config
  # No random sleeps before validation and no refused nonces: tests want Pebble's checks, not
  # its chaos.
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 start pebble "$PEBBLE_BIN/pebble" \
    -config "$STATE/pebble/config.json" -dnsserver "$bridge_ip:53"
  wait_for pebble 30 "its root certificate" pebble_root
  # Pebble makes a new root at every start; this one signs every certificate of this testbed.
  pebble_root >"$STATE/pebble/root.pem"
  traefik_objects | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create Traefik's objects"
  wait_for pebble 120 "Traefik to be ready" traefik_ready
  cert_manager_start
  start ingress-http.socat /usr/bin/socat "TCP-LISTEN:$ingress_http_port,bind=127.0.0.1,fork,reuseaddr" \
    "TCP:$(node_ip 1):$INGRESS_NODEPORT_HTTP"
  start ingress-https.socat /usr/bin/socat "TCP-LISTEN:$ingress_https_port,bind=127.0.0.1,fork,reuseaddr" \
    "TCP:$(node_ip 1):$INGRESS_NODEPORT_HTTPS"
  kubectl -n kube-public patch configmap testbed --type merge -p "$(ingress_published)" >/dev/null ||
    fail kube-apiserver "could not publish the ingress in kube-public/testbed"
  say "ingress: Traefik on 127.0.0.1:$ingress_http_port (http), :$ingress_https_port (https); ACME from Pebble for Traefik's resolver and cert-manager ($((SECONDS - started))s)"
}
