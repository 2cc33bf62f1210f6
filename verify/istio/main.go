// zonal-istio-oracle answers, with Istio's own code (release-1.31), what Istio does with
// Kubernetes/Istio YAML: webhook + CRD validation, offline analysis, and the clusters/endpoints
// istiod builds for a sidecar in a given zone. zonal's differential checks (verify/differential)
// compare zonal's claims with these answers.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "go.zonal.dev/verify/istio/quietinit" // first: see the package comment

	istiolog "istio.io/istio/pkg/log"
)

const usage = `Usage: zonal-istio-oracle COMMAND [flags] [FILE...]   (no FILE or "-": standard input)

Commands (JSON on standard output):
  validate    istiod's validating webhook + the CRD schema (OpenAPI, CEL) for every Istio object,
              and the mesh config (ConfigMap "istio", key "mesh"):
              {objects:[{kind,namespace,name,errors,warnings,rejectedBy}]}
  analyze     the analyzers of "istioctl analyze --use-kube=false --all-namespaces":
              {messages:[{code,level,kind,namespace,name,origin,message}], inputErrors}
  endpoints   the outbound clusters and endpoints (CDS+EDS) istiod builds for a sidecar:
              {proxies:[{zone,locality,labels,clusters:[{name,type,outlierDetection,
              healthyPanicThreshold,localityWeighted,zoneAware,endpoints:[{address,port,
              locality,priority,localityWeight,lbWeight,healthStatus}]}]}], dropped}
              --proxy-zone Z         zone (or region/zone[/subzone]) of the proxy; repeatable
              --proxy-labels k=v,... the proxy's workload labels
              --proxy-namespace NS   the proxy's namespace (default ` + DefaultProxyNamespace + `)
  serve       one request per line on standard input, one answer per line on standard output:
              {"id":..,"command":"validate"|"analyze"|"endpoints","yaml":"...",
               "proxies":[{"zone":"..","labels":{..},"namespace":".."}]} -> {"id":..,"result":..}
              or {"id":..,"error":".."}

Flags for every command:
  --crds FILE   Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml of the pinned Istio
                module) for the API server's schema checks; default $ZONAL_ISTIO_CRDS; without
                it only the webhook validates.
`

type request struct {
	ID      any         `json:"id"`
	Command string      `json:"command"`
	YAML    string      `json:"yaml"`
	Proxies []proxySpec `json:"proxies"`
}

type response struct {
	ID     any    `json:"id"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "zonal-istio-oracle: "+format+"\n", args...)
	os.Exit(code)
}

// quietIstio keeps Istio's logging off standard output/error: answers are JSON only.
func quietIstio() {
	o := istiolog.DefaultOptions()
	o.OutputPaths = []string{}
	o.ErrorOutputPaths = []string{}
	o.SetDefaultOutputLevel(istiolog.OverrideScopeName, istiolog.NoneLevel)
	_ = istiolog.Configure(o)
}

func parseLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--proxy-labels %q: expected key=value[,key=value...]", kv)
		}
		out[k] = v
	}
	return out, nil
}

func readInputs(files []string) ([]object, error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	var all []object
	for _, f := range files {
		var r io.Reader = os.Stdin
		if f != "-" {
			fh, err := os.Open(f)
			if err != nil {
				return nil, err
			}
			defer fh.Close()
			r = fh
		}
		objs, err := readObjects(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		all = append(all, objs...)
	}
	return all, nil
}

func run(cmd string, objs []object, proxies []proxySpec, v *validator) (any, error) {
	switch cmd {
	case "validate":
		return v.validate(objs), nil
	case "analyze":
		return analyze(objs)
	case "endpoints":
		if len(proxies) == 0 {
			return nil, fmt.Errorf("endpoints needs at least one proxy zone (--proxy-zone Z)")
		}
		return endpoints(objs, proxies, v)
	}
	return nil, fmt.Errorf("unknown command %q", cmd)
}

// serve answers requests line by line, so one process (and one start-up) serves thousands of
// configurations.
func serve(v *validator) {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		var req request
		var resp response
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			resp.Error = "bad request: " + err.Error()
		} else {
			resp.ID = req.ID
			objs, err := readObjects(strings.NewReader(req.YAML))
			if err == nil {
				resp.Result, err = run(req.Command, objs, req.Proxies, v)
			}
			if err != nil {
				resp.Error = err.Error()
				resp.Result = nil
			}
		}
		_ = enc.Encode(resp)
		_ = out.Flush()
	}
	if err := in.Err(); err != nil {
		fail(2, "reading requests: %v", err)
	}
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	crds := fs.String("crds", os.Getenv("ZONAL_ISTIO_CRDS"), "")
	var zones multiFlag
	fs.Var(&zones, "proxy-zone", "")
	labelsFlag := fs.String("proxy-labels", "", "")
	ns := fs.String("proxy-namespace", "", "")
	if err := fs.Parse(os.Args[2:]); err != nil {
		fail(2, "%v (see --help)", err)
	}
	quietIstio()
	v, err := newValidator(*crds)
	if err != nil {
		fail(2, "%v", err)
	}
	if cmd == "serve" {
		serve(v)
		return
	}
	labels, err := parseLabels(*labelsFlag)
	if err != nil {
		fail(2, "%v", err)
	}
	proxies := make([]proxySpec, 0, len(zones))
	for _, z := range zones {
		proxies = append(proxies, proxySpec{Zone: z, Labels: labels, Namespace: *ns})
	}
	objs, err := readInputs(fs.Args())
	if err != nil {
		fail(2, "%v", err)
	}
	result, err := run(cmd, objs, proxies, v)
	if err != nil {
		fail(2, "%v", err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(result)
}
