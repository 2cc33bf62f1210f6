package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// object is one Kubernetes/Istio document of the input, kept as decoded JSON so it can be handed to
// Istio's own decoders (webhook admission request, CRD schema validator, fake discovery server).
type object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	// Raw is the document as JSON, with metadata.namespace filled in for namespaced kinds (as
	// `kubectl apply` would with the default namespace).
	Raw map[string]any
}

// clusterScoped kinds get no namespace filled in.
var clusterScoped = map[string]bool{"Node": true, "Namespace": true, "CustomResourceDefinition": true}

const defaultNamespace = "default"

// readObjects splits multi-document YAML (or JSON) into objects; empty documents are skipped and
// Kubernetes `List` documents are flattened.
func readObjects(r io.Reader) ([]object, error) {
	dec := kubeyaml.NewYAMLOrJSONDecoder(r, 1<<20)
	var out []object
	for i := 1; ; i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("document %d: %v", i, err)
		}
		// A document of comments only (helm template writes one for a template that renders nothing).
		if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
			continue
		}
		// Integers as int64, as the API server's unstructured objects have them (CEL rules check types).
		var doc map[string]any
		if err := utiljson.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("document %d: %v", i, err)
		}
		if len(doc) == 0 {
			continue
		}
		if doc["kind"] == "List" {
			items, _ := doc["items"].([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					out = append(out, toObject(m))
				}
			}
			continue
		}
		out = append(out, toObject(doc))
	}
}

func toObject(doc map[string]any) object {
	o := object{Raw: doc}
	o.APIVersion, _ = doc["apiVersion"].(string)
	o.Kind, _ = doc["kind"].(string)
	meta, _ := doc["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		doc["metadata"] = meta
	}
	o.Name, _ = meta["name"].(string)
	o.Namespace, _ = meta["namespace"].(string)
	if o.Namespace == "" && !clusterScoped[o.Kind] {
		o.Namespace = defaultNamespace
		meta["namespace"] = defaultNamespace
	}
	return o
}

func (o object) group() string {
	if i := strings.Index(o.APIVersion, "/"); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

func (o object) isIstio() bool {
	return strings.HasSuffix(o.group(), ".istio.io")
}

func (o object) json() []byte {
	b, _ := json.Marshal(o.Raw)
	return b
}

// joinYAML renders objects as one multi-document YAML string (the form Istio's test servers read).
func joinYAML(objs []object) (string, error) {
	var buf bytes.Buffer
	for i, o := range objs {
		y, err := yaml.JSONToYAML(o.json())
		if err != nil {
			return "", err
		}
		if i > 0 {
			buf.WriteString("\n---\n")
		}
		buf.Write(y)
	}
	return buf.String(), nil
}

// meshConfigYAML returns the `mesh` key of the ConfigMap istiod reads its mesh config from
// (`istio` in any namespace, normally istio-system), or "" when the input has none.
func meshConfigYAML(objs []object) (string, *object) {
	for i, o := range objs {
		if o.Kind != "ConfigMap" || o.APIVersion != "v1" || o.Name != "istio" {
			continue
		}
		data, _ := o.Raw["data"].(map[string]any)
		m, _ := data["mesh"].(string)
		return m, &objs[i]
	}
	return "", nil
}
