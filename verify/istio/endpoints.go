package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pilot/pkg/model"
	labelutil "istio.io/istio/pilot/pkg/serviceregistry/util/label"
	"istio.io/istio/pilot/test/xds"
	istiocluster "istio.io/istio/pkg/cluster"
	"istio.io/istio/pkg/config/constants"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/test"
)

// proxySpec is the sidecar whose view istiod computes.
type proxySpec struct {
	// Zone is `zone` or `region/zone[/subzone]`; a bare zone takes its region from the input's Nodes.
	Zone      string            `json:"zone"`
	Labels    map[string]string `json:"labels,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
}

type endpointOut struct {
	Address        string   `json:"address"`
	Port           uint32   `json:"port"`
	Locality       locality `json:"locality"`
	Priority       uint32   `json:"priority"`
	LocalityWeight *uint32  `json:"localityWeight"`
	LbWeight       *uint32  `json:"lbWeight"`
	HealthStatus   string   `json:"healthStatus"`
}

type locality struct {
	Region  string `json:"region"`
	Zone    string `json:"zone"`
	SubZone string `json:"subZone"`
}

type clusterOut struct {
	Name string `json:"name"`
	// Type is the Envoy discovery type (EDS, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST, STATIC).
	Type                   string          `json:"type"`
	LbPolicy               string          `json:"lbPolicy"`
	OutlierDetection       json.RawMessage `json:"outlierDetection"`
	HealthyPanicThreshold  *float64        `json:"healthyPanicThreshold"`
	LocalityWeighted       bool            `json:"localityWeighted"`
	ZoneAware              json.RawMessage `json:"zoneAware"`
	CommonLbConfig         json.RawMessage `json:"commonLbConfig"`
	OverprovisioningFactor *uint32         `json:"overprovisioningFactor"`
	Endpoints              []endpointOut   `json:"endpoints"`
}

type proxyOut struct {
	Zone      string            `json:"zone"`
	Locality  locality          `json:"locality"`
	Labels    map[string]string `json:"labels"`
	Namespace string            `json:"namespace"`
	Clusters  []clusterOut      `json:"clusters"`
}

type endpointsResult struct {
	Proxies []proxyOut `json:"proxies"`
	// Dropped are Istio objects left out because istiod's webhook rejects them (they never reach istiod).
	Dropped []string `json:"dropped"`
}

// kubeKinds are fed to the fake Kubernetes API of the discovery server; Istio kinds go to its config store.
var kubeKinds = map[string]bool{"Service": true, "Pod": true, "Node": true, "EndpointSlice": true, "Namespace": true}

// DefaultProxyNamespace holds no configuration, so only the destinations' own rules apply.
const DefaultProxyNamespace = "zonal-oracle-client"

// endpoints starts the fake discovery server Istio's own xds tests use, fed with the input, and
// returns the outbound clusters and endpoints istiod builds for each proxy.
func endpoints(objs []object, proxies []proxySpec, v *validator) (endpointsResult, error) {
	res := endpointsResult{Proxies: []proxyOut{}, Dropped: []string{}}
	var istioObjs, kubeObjs []object
	for _, o := range objs {
		switch {
		case o.isIstio():
			if vd := v.validateObject(o); len(vd.Errors) > 0 {
				res.Dropped = append(res.Dropped, fmt.Sprintf("%s %s/%s", o.Kind, o.Namespace, o.Name))
				continue
			}
			istioObjs = append(istioObjs, o)
		case kubeKinds[o.Kind]:
			kubeObjs = append(kubeObjs, o)
		}
	}
	meshCfg := mesh.DefaultMeshConfig()
	if m, _ := meshConfigYAML(objs); m != "" {
		c, err := mesh.ApplyMeshConfigDefaults(m)
		if err != nil {
			return res, fmt.Errorf("mesh config: %v", err)
		}
		meshCfg = c
	}
	configs, err := v.toConfigs(istioObjs)
	if err != nil {
		return res, err
	}
	kubeString, err := joinYAML(kubeObjs)
	if err != nil {
		return res, err
	}
	var runErr error
	werr := test.Wrap(func(t test.Failer) {
		// A panic while building the config is Istio's answer too (istiod would crash on this input).
		defer func() {
			if r := recover(); r != nil {
				runErr = fmt.Errorf("istiod panicked: %v (at %s)", r, panicSite())
			}
		}()
		s := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{Configs: configs, KubernetesObjectString: kubeString, MeshConfig: meshCfg})
		for _, ps := range proxies {
			out, err := proxyView(s, ps, objs, meshCfg)
			if err != nil {
				runErr = err
				return
			}
			res.Proxies = append(res.Proxies, out)
		}
	})
	if werr != nil {
		return res, fmt.Errorf("fake discovery server: %v", werr)
	}
	return res, runErr
}

// panicSite names the innermost Istio function on the panicking goroutine's stack.
func panicSite() string {
	for _, line := range strings.Split(string(debug.Stack()), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "istio.io/istio/") && !strings.HasPrefix(line, "istio.io/istio/pkg/test") {
			return line
		}
	}
	return "unknown"
}

func parseLocality(s string) locality {
	parts := strings.SplitN(s, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return locality{Region: parts[0], Zone: parts[1], SubZone: parts[2]}
}

// proxyLocality: `region/zone[/subzone]` as given, or a bare zone with the region of the input's
// Nodes in that zone (else of the ServiceEntry endpoints in it).
func proxyLocality(zone string, objs []object) locality {
	if strings.Contains(zone, "/") {
		return parseLocality(zone)
	}
	for _, o := range objs {
		if o.Kind != "Node" {
			continue
		}
		meta, _ := o.Raw["metadata"].(map[string]any)
		lbls, _ := meta["labels"].(map[string]any)
		if lbls[labelutil.LabelTopologyZone] == zone {
			r, _ := lbls[labelutil.LabelTopologyRegion].(string)
			return locality{Region: r, Zone: zone}
		}
	}
	for _, o := range objs {
		if o.Kind != "ServiceEntry" {
			continue
		}
		spec, _ := o.Raw["spec"].(map[string]any)
		eps, _ := spec["endpoints"].([]any)
		for _, e := range eps {
			em, _ := e.(map[string]any)
			if l, ok := em["locality"].(string); ok && parseLocality(l).Zone == zone {
				return locality{Region: parseLocality(l).Region, Zone: zone}
			}
		}
	}
	return locality{Zone: zone}
}

func proxyView(s *xds.FakeDiscoveryServer, ps proxySpec, objs []object, _ *meshconfig.MeshConfig) (proxyOut, error) {
	loc := proxyLocality(ps.Zone, objs)
	ns := ps.Namespace
	if ns == "" {
		ns = DefaultProxyNamespace
	}
	labels := map[string]string{}
	for k, v := range ps.Labels {
		labels[k] = v
	}
	clusterID := istiocluster.ID(constants.DefaultClusterName)
	p := &model.Proxy{
		Type:            model.SidecarProxy,
		IPAddresses:     []string{"10.255.255.1"},
		ID:              "zonal-oracle." + ns,
		ConfigNamespace: ns,
		Locality:        &core.Locality{Region: loc.Region, Zone: loc.Zone, SubZone: loc.SubZone},
		Metadata:        &model.NodeMetadata{Namespace: ns, Labels: labels, ClusterID: clusterID, IstioVersion: "1.31.0"},
	}
	// As istiod does when a proxy connects (pilot/pkg/xds/ads.go setTopologyLabels): the proxy's
	// labels gain its topology labels, which failoverPriority matches against.
	p.Labels = labelutil.AugmentLabels(labels, clusterID, loc.Region+"/"+loc.Zone+"/"+loc.SubZone, "", "")
	p = s.SetupProxy(p)
	out := proxyOut{Zone: ps.Zone, Locality: loc, Labels: p.Labels, Namespace: ns, Clusters: []clusterOut{}}
	clas := map[string]*endpoint.ClusterLoadAssignment{}
	for _, cla := range s.Endpoints(p) {
		clas[cla.ClusterName] = cla
	}
	for _, c := range s.Clusters(p) {
		if !strings.HasPrefix(c.Name, "outbound|") {
			continue
		}
		cla := c.LoadAssignment
		if c.GetType() == cluster.Cluster_EDS {
			cla = clas[c.Name]
		}
		out.Clusters = append(out.Clusters, clusterView(c, cla))
	}
	sort.Slice(out.Clusters, func(i, j int) bool { return out.Clusters[i].Name < out.Clusters[j].Name })
	return out, nil
}

func protoJSON(m proto.Message) json.RawMessage {
	if m == nil {
		return json.RawMessage("null")
	}
	b, err := protojson.MarshalOptions{UseProtoNames: false}.Marshal(m)
	if err != nil || len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func clusterView(c *cluster.Cluster, cla *endpoint.ClusterLoadAssignment) clusterOut {
	out := clusterOut{
		Name:             c.Name,
		Type:             c.GetType().String(),
		LbPolicy:         c.GetLbPolicy().String(),
		OutlierDetection: json.RawMessage("null"),
		ZoneAware:        json.RawMessage("null"),
		CommonLbConfig:   json.RawMessage("null"),
		Endpoints:        []endpointOut{},
	}
	if c.OutlierDetection != nil {
		out.OutlierDetection = protoJSON(c.OutlierDetection)
	}
	if cl := c.CommonLbConfig; cl != nil {
		out.CommonLbConfig = protoJSON(cl)
		if cl.HealthyPanicThreshold != nil {
			v := cl.HealthyPanicThreshold.GetValue()
			out.HealthyPanicThreshold = &v
		}
		out.LocalityWeighted = cl.GetLocalityWeightedLbConfig() != nil
		if za := cl.GetZoneAwareLbConfig(); za != nil {
			out.ZoneAware = protoJSON(za)
		}
	}
	if cla == nil {
		return out
	}
	if f := cla.GetPolicy().GetOverprovisioningFactor(); f != nil {
		v := f.GetValue()
		out.OverprovisioningFactor = &v
	}
	for _, lle := range cla.Endpoints {
		l := locality{Region: lle.GetLocality().GetRegion(), Zone: lle.GetLocality().GetZone(), SubZone: lle.GetLocality().GetSubZone()}
		var lw *uint32
		if lle.LoadBalancingWeight != nil {
			v := lle.LoadBalancingWeight.GetValue()
			lw = &v
		}
		for _, lbe := range lle.LbEndpoints {
			sa := lbe.GetEndpoint().GetAddress().GetSocketAddress()
			var w *uint32
			if lbe.LoadBalancingWeight != nil {
				v := lbe.LoadBalancingWeight.GetValue()
				w = &v
			}
			out.Endpoints = append(out.Endpoints, endpointOut{
				Address: sa.GetAddress(), Port: sa.GetPortValue(), Locality: l, Priority: lle.Priority,
				LocalityWeight: lw, LbWeight: w, HealthStatus: lbe.GetHealthStatus().String(),
			})
		}
	}
	return out
}
