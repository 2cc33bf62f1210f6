package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"time"

	multierror "github.com/hashicorp/go-multierror"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config"
	istiocrd "istio.io/istio/pkg/config/crd"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/config/schema/collection"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/resource"
	"istio.io/istio/pkg/config/validation/agent"
	"istio.io/istio/pkg/webhooks/validation/server"
)

// domainSuffix is the cluster's DNS domain, as istiod is started with (--domain).
const domainSuffix = "cluster.local"

// objectVerdict is what Istio says about one object: errors reject it, warnings admit it with a
// warning (the webhook's `warnings` in the admission response).
type objectVerdict struct {
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Errors    []string `json:"errors"`
	Warnings  []string `json:"warnings"`
	// RejectedBy names who rejects it: "webhook" (istiod's validating webhook) and/or "crd" (the API
	// server's OpenAPI + CEL checks of the CRD schema).
	RejectedBy []string `json:"rejectedBy"`
	// Nondeterministic: Istio's verdict changes from call to call (its validation iterates a Go
	// map, e.g. a distribute `to`): the webhook rejects the object some of the times it is applied.
	// Errors then lists what the rejecting calls say.
	Nondeterministic bool `json:"nondeterministic,omitempty"`
}

// validationRuns is how often an object's validation is repeated to catch verdicts that depend
// on Go's random map order (a 2-key map is missed with probability 2^-(runs-1)).
const validationRuns = 12

type validateResult struct {
	Objects []objectVerdict `json:"objects"`
}

// validator holds istiod's validating webhook (served in-process, as istiod mounts it) and the
// CRD schema validator built from Istio's own CRDs.
type validator struct {
	mux     *http.ServeMux
	schemas collection.Schemas
	crds    *istiocrd.Validator
}

func newValidator(crdFile string) (*validator, error) {
	v := &validator{mux: http.NewServeMux(), schemas: collections.PilotGatewayAPI()}
	// The same options istiod passes (pilot/pkg/bootstrap/validation.go).
	if _, err := server.New(server.Options{Schemas: v.schemas, DomainSuffix: domainSuffix, Mux: v.mux}); err != nil {
		return nil, err
	}
	if crdFile != "" {
		c, err := istiocrd.NewValidatorFromFiles(crdFile)
		if err != nil {
			return nil, fmt.Errorf("reading CRDs %s: %v", crdFile, err)
		}
		v.crds = c
	}
	return v, nil
}

func (v *validator) validate(objs []object) validateResult {
	res := validateResult{Objects: []objectVerdict{}}
	for _, o := range objs {
		if o.isIstio() {
			res.Objects = append(res.Objects, v.validateObject(o))
		}
	}
	if m, cm := meshConfigYAML(objs); cm != nil {
		res.Objects = append(res.Objects, validateMesh(m, *cm))
	}
	return res
}

func (v *validator) validateObject(o object) objectVerdict {
	out := objectVerdict{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Errors: []string{}, Warnings: []string{}, RejectedBy: []string{}}
	allowed, message, warnings := v.admit(o)
	out.Warnings = append(out.Warnings, warnings...)
	rejections := 0
	for i := 0; i < validationRuns; i++ {
		if errs, _ := v.schemaVerdict(o); len(errs) > 0 {
			rejections++
			if allowed {
				allowed, message = false, strings.Join(errs, "; ")
			}
		}
	}
	out.Nondeterministic = rejections > 0 && rejections < validationRuns
	if !allowed {
		out.RejectedBy = append(out.RejectedBy, "webhook")
		// The webhook joins all errors into one message and drops the warnings of a rejected
		// object; the function it calls gives both, one entry each.
		errs, warns := v.schemaVerdict(o)
		if len(errs) > 0 {
			out.Errors = append(out.Errors, errs...)
		} else {
			out.Errors = append(out.Errors, message)
		}
		out.Warnings = append(out.Warnings, warns...)
	}
	if v.crds != nil {
		if err := v.crds.ValidateCustomResource(&unstructured.Unstructured{Object: o.Raw}); err != nil {
			out.RejectedBy = append(out.RejectedBy, "crd")
			out.Errors = append(out.Errors, "crd: "+err.Error())
		}
	}
	return out
}

type admissionReview struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Request    *admissionRequest `json:"request,omitempty"`
	Response   *struct {
		Allowed bool `json:"allowed"`
		Result  *struct {
			Message string `json:"message"`
		} `json:"status"`
		Warnings []string `json:"warnings"`
	} `json:"response,omitempty"`
}

type admissionRequest struct {
	UID       string          `json:"uid"`
	Kind      map[string]any  `json:"kind"`
	Resource  map[string]any  `json:"resource"`
	Name      string          `json:"name"`
	Namespace string          `json:"namespace"`
	Operation string          `json:"operation"`
	Object    json.RawMessage `json:"object"`
}

// admit sends the object to the webhook handler as the API server would (AdmissionReview v1, CREATE).
func (v *validator) admit(o object) (allowed bool, message string, warnings []string) {
	version := o.APIVersion[strings.Index(o.APIVersion, "/")+1:]
	review := admissionReview{
		APIVersion: "admission.k8s.io/v1",
		Kind:       "AdmissionReview",
		Request: &admissionRequest{
			UID:       "zonal-istio-oracle",
			Kind:      map[string]any{"group": o.group(), "version": version, "kind": o.Kind},
			Resource:  map[string]any{"group": o.group(), "version": version, "resource": strings.ToLower(o.Kind) + "s"},
			Name:      o.Name,
			Namespace: o.Namespace,
			Operation: "CREATE",
			Object:    o.json(),
		},
	}
	body, _ := json.Marshal(review)
	req := httptest.NewRequest(http.MethodPost, "/validate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	v.mux.ServeHTTP(rec, req)
	var got admissionReview
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Response == nil {
		return false, fmt.Sprintf("webhook answered %d: %s", rec.Code, strings.TrimSpace(rec.Body.String())), nil
	}
	if got.Response.Result != nil {
		message = got.Response.Result.Message
	}
	return got.Response.Allowed, message, got.Response.Warnings
}

// schemaVerdict runs the validation function the webhook runs for this kind: errors and warnings,
// one entry each.
func (v *validator) schemaVerdict(o object) (errs, warns []string) {
	var kind crd.IstioKind
	if err := json.Unmarshal(o.json(), &kind); err != nil {
		return nil, nil
	}
	gvk := kind.GroupVersionKind()
	s, ok := v.schemas.FindByGroupKind(resource.FromKubernetesGVK(&gvk))
	if !ok {
		return nil, nil
	}
	cfg, err := crd.ConvertObject(s, &kind, domainSuffix)
	if err != nil {
		return nil, nil
	}
	warn, err := s.ValidateConfig(*cfg)
	return flatten(err), flatten(warn)
}

// toConfigs converts Istio objects to istiod's config model as its Kubernetes config client does:
// with the cluster's domain suffix (short DestinationRule hosts expand with it) and one creation time.
func (v *validator) toConfigs(objs []object) ([]config.Config, error) {
	now := time.Now()
	out := make([]config.Config, 0, len(objs))
	for _, o := range objs {
		var kind crd.IstioKind
		if err := json.Unmarshal(o.json(), &kind); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %v", o.Kind, o.Namespace, o.Name, err)
		}
		gvk := kind.GroupVersionKind()
		s, ok := v.schemas.FindByGroupKind(resource.FromKubernetesGVK(&gvk))
		if !ok {
			continue
		}
		cfg, err := crd.ConvertObject(s, &kind, domainSuffix)
		if err != nil {
			return nil, fmt.Errorf("%s %s/%s: %v", o.Kind, o.Namespace, o.Name, err)
		}
		if cfg.CreationTimestamp.IsZero() {
			cfg.CreationTimestamp = now
		}
		out = append(out, *cfg)
	}
	return out, nil
}

// flatten lists the individual errors of a (possibly nested) multierror.
func flatten(err error) []string {
	if err == nil {
		return nil
	}
	var me *multierror.Error
	if errors.As(err, &me) {
		var out []string
		for _, e := range me.Errors {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// validateMesh checks the mesh config the way istiod loads it: parsed over the defaults, then
// validated (mesh.ApplyMeshConfigDefaults rejects errors; warnings come from the same validator).
func validateMesh(meshYAML string, cm object) objectVerdict {
	out := objectVerdict{Kind: "MeshConfig", Namespace: cm.Namespace, Name: cm.Name, Errors: []string{}, Warnings: []string{}, RejectedBy: []string{}}
	cfg, err := mesh.ApplyMeshConfigDefaults(meshYAML)
	if err != nil {
		out.Errors = append(out.Errors, flatten(err)...)
		out.RejectedBy = append(out.RejectedBy, "istiod")
		return out
	}
	warn, _ := agent.ValidateMeshConfig(cfg)
	out.Warnings = append(out.Warnings, flatten(warn)...)
	sort.Strings(out.Warnings)
	return out
}
