// The testbed's cert-manager controller: the library's own control loops for the ACME issuer,
// wired without the upstream command (its module is not on the Go module proxy). It runs the
// loops a ClusterIssuer → Certificate → CertificateRequest → Order → Challenge chain needs, and
// the ingress-shim that turns `cert-manager.io/cluster-issuer` on an Ingress into a Certificate.
// No webhook (objects are checked by the CRDs' schemas only) and no leader election (one
// process per testbed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Each import registers its control loop with controllerpkg (in the package's init).
	"github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	"github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	ingressshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	cracme "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	"github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	"github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	// The ACME issuer type, which the (cluster) issuer loops look up by kind.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
)

// The loops this controller runs: upstream's defaults less every issuer type but ACME, the
// namespaced Issuer loop, CertificateSigningRequests and the Gateway API shims.
var loops = []string{
	clusterissuers.ControllerName,
	acmeorders.ControllerName,
	acmechallenges.ControllerName,
	cracme.CRControllerName,
	approver.ControllerName,
	trigger.ControllerName,
	keymanager.ControllerName,
	requestmanager.ControllerName,
	issuing.ControllerName,
	readiness.ControllerName,
	revisionmanager.ControllerName,
	ingressshim.ControllerName,
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager-controller:", err)
		os.Exit(1)
	}
}

func run() error {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	namespace := flag.String("cluster-resource-namespace", "cert-manager", "namespace of the ClusterIssuers' Secrets (ACME account keys)")
	solverImage := flag.String("acme-http01-solver-image", "", "image of the HTTP-01 solver pods (runs the acmesolver)")
	nameservers := flag.String("acme-http01-solver-nameservers", "", "host:port of the DNS servers for the HTTP-01 self-check, comma-separated")
	flag.Parse()
	if *kubeconfig == "" || *solverImage == "" {
		return fmt.Errorf("--kubeconfig and --acme-http01-solver-image are required")
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")

	// Where a value is not the testbed's own, it is upstream's default for the same flag.
	opts := controllerpkg.ContextOptions{
		Kubeconfig:         *kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		IssuerOptions:      controllerpkg.IssuerOptions{ClusterResourceNamespace: *namespace},
		ACMEOptions: controllerpkg.ACMEOptions{
			HTTP01SolverImage:                 *solverImage,
			HTTP01SolverResourceRequestCPU:    resource.MustParse("10m"),
			HTTP01SolverResourceRequestMemory: resource.MustParse("64Mi"),
			HTTP01SolverResourceLimitsCPU:     resource.MustParse("100m"),
			HTTP01SolverResourceLimitsMemory:  resource.MustParse("64Mi"),
			ACMEHTTP01SolverRunAsNonRoot:      true,
			HTTP01SolverNameservers:           splitList(*nameservers),
		},
		IngressShimOptions: controllerpkg.IngressShimOptions{
			// The legacy annotation asks for a certificate too.
			DefaultAutoCertificateAnnotations: []string{"kubernetes.io/tls-acme"},
		},
		CertificateOptions: controllerpkg.CertificateOptions{
			// A failed request's back-off.
			CertificateRequestMinimumBackoffDuration: time.Hour,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
		SchedulerOptions: controllerpkg.SchedulerOptions{MaxConcurrentChallenges: 60},
	}
	factory, err := controllerpkg.NewContextFactory(ctx, opts)
	if err != nil {
		return fmt.Errorf("connecting to the cluster: %w", err)
	}

	// Every loop registers its informers when constructed; the shared factories start after.
	known := controllerpkg.Known()
	var wg sync.WaitGroup
	errs := make(chan error, len(loops))
	for _, name := range loops {
		construct, ok := known[name]
		if !ok {
			return fmt.Errorf("the library has no control loop named %q", name)
		}
		loop, err := construct(factory)
		if err != nil {
			return fmt.Errorf("setting up %s: %w", name, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := loop.Run(5, ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}

	// Build() hands every loop a copy of one Context, so its informer factories are shared.
	shared, err := factory.Build()
	if err != nil {
		return err
	}
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	if shared.GatewaySolverEnabled {
		shared.GWShared.Start(ctx.Done())
	}
	logf.Log.Info("cert-manager controller started", "loops", strings.Join(loops, ","))

	select {
	case err := <-errs:
		stop()
		wg.Wait()
		return err
	case <-ctx.Done():
		wg.Wait()
		return nil
	}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
