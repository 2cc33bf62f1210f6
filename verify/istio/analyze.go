package main

import (
	"fmt"
	"os"
	"strings"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
)

type analyzeMessage struct {
	Code      string `json:"code"`
	Level     string `json:"level"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Origin is the analyzer's own name for the object, e.g. "DestinationRule ns/name".
	Origin  string `json:"origin"`
	Message string `json:"message"`
}

type analyzeResult struct {
	Messages []analyzeMessage `json:"messages"`
	// InputErrors are documents the analyzer could not read (istioctl prints them as "Error(s) adding files").
	InputErrors []string `json:"inputErrors"`
}

// analyze runs every analyzer over the input as `istioctl analyze --use-kube=false --all-namespaces`
// does: default resources for a files-only run, the mesh config from the input's `istio`
// ConfigMap when there is one, then the files as one source.
func analyze(objs []object) (analyzeResult, error) {
	res := analyzeResult{Messages: []analyzeMessage{}, InputErrors: []string{}}
	sa := local.NewIstiodAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace("istio-system"), nil)
	if m, _ := meshConfigYAML(objs); m != "" {
		f, err := os.CreateTemp("", "zonal-istio-mesh-*.yaml")
		if err != nil {
			return res, err
		}
		defer os.Remove(f.Name())
		_, _ = f.WriteString(m)
		_ = f.Close()
		if err := sa.AddFileKubeMeshConfig(f.Name()); err != nil {
			res.InputErrors = append(res.InputErrors, "mesh config: "+err.Error())
		}
	}
	if err := sa.AddDefaultResources(); err != nil {
		return res, err
	}
	y, err := joinYAML(objs)
	if err != nil {
		return res, err
	}
	if err := sa.AddReaderKubeSource([]local.ReaderSource{{Name: "input", Reader: strings.NewReader(y)}}); err != nil {
		res.InputErrors = append(res.InputErrors, flatten(err)...)
	}
	cancel := make(chan struct{})
	defer close(cancel)
	result, err := sa.Analyze(cancel)
	if err != nil {
		return res, fmt.Errorf("analysis: %v", err)
	}
	for _, m := range result.Messages {
		am := analyzeMessage{Code: m.Type.Code(), Level: m.Type.Level().String(), Message: fmt.Sprintf(m.Type.Template(), m.Parameters...)}
		if m.Resource != nil {
			am.Kind = m.Resource.Metadata.Schema.Kind()
			am.Namespace = m.Resource.Metadata.FullName.Namespace.String()
			am.Name = m.Resource.Metadata.FullName.Name.String()
			am.Origin = m.Resource.Origin.FriendlyName()
		}
		res.Messages = append(res.Messages, am)
	}
	return res, nil
}
