// informer runs client-go shared informers for pods and configmaps against a kubeconfig, with
// client-go's defaults (WatchList with sendInitialEvents, protobuf Accept for the typed
// client), and checks the event stream each informer delivers:
//
//   - an update whose new resourceVersion is not greater than the old one,
//   - an update or delete of an object the handler never saw added,
//   - an add of an object already present (client-go itself turns a watch ADDED for an object
//     it holds into an update, so a duplicated ADDED shows up as an update whose
//     resourceVersion is not newer),
//   - a watch event whose resourceVersion is not greater than the previous event's (watch
//     events of one resource arrive in resourceVersion order),
//   - a handler-side copy of the store that differs from the informer's own store.
//
// It records the HTTP requests the informers make (list, watch, watchlist) and the ERROR events
// in JSON watch responses, and, on SIGTERM, SIGINT or after --duration, prints a JSON report to
// stdout: per resource the final store as {"namespace/name": resourceVersion}, event counts,
// anomalies, requests, watch errors and ERROR events.
// SIGUSR1 writes the same report to --snapshot-file (atomically) and keeps running.
// Progress lines go to stderr as JSON; {"msg":"synced"} once every informer has synced.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

const maxAnomalies = 200

type Anomaly struct {
	Kind    string `json:"kind"`
	Key     string `json:"key"`
	OldRV   string `json:"old_rv,omitempty"`
	NewRV   string `json:"new_rv,omitempty"`
	Detail  string `json:"detail,omitempty"`
	AtMilli int64  `json:"at_ms"`
}

type Counts struct {
	AddInitial int64 `json:"add_initial"`
	Add        int64 `json:"add"`
	Update     int64 `json:"update"`
	Delete     int64 `json:"delete"`
	Tombstone  int64 `json:"delete_tombstone"`
}

type Requests struct {
	List      int64 `json:"list"`
	Watch     int64 `json:"watch"`
	WatchList int64 `json:"watchlist"`
	Other     int64 `json:"other"`
	Failed    int64 `json:"failed"`
}

// tracker follows one resource's informer: its own copy of the store built from the handler
// calls, and what was wrong with them.
type tracker struct {
	resource string
	start    time.Time
	informer cache.SharedIndexInformer

	mu           sync.Mutex
	seen         map[string]uint64 // key -> resourceVersion, from the handler calls
	lastEventRV  uint64            // of the last watch event (not initial-list adds)
	counts       Counts
	anomalies    []Anomaly
	anomalyCount int64
	watchErrors  []string
}

func newTracker(resource string, start time.Time) *tracker {
	return &tracker{resource: resource, start: start, seen: map[string]uint64{}}
}

func (t *tracker) anomaly(a Anomaly) {
	t.anomalyCount++
	if len(t.anomalies) < maxAnomalies {
		a.AtMilli = time.Since(t.start).Milliseconds()
		t.anomalies = append(t.anomalies, a)
	}
}

func keyAndRV(obj interface{}) (string, string, error) {
	key, err := cache.MetaNamespaceKeyFunc(obj)
	if err != nil {
		return "", "", err
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return key, "", err
	}
	return key, m.GetResourceVersion(), nil
}

func parseRV(rv string) (uint64, bool) {
	v, err := strconv.ParseUint(rv, 10, 64)
	return v, err == nil
}

// ordered checks that a watch event comes after the previous one. Caller holds mu.
func (t *tracker) ordered(key string, rv uint64, rvText string) {
	if rv <= t.lastEventRV {
		t.anomaly(Anomaly{Kind: "event_rv_out_of_order", Key: key,
			OldRV: strconv.FormatUint(t.lastEventRV, 10), NewRV: rvText})
	} else {
		t.lastEventRV = rv
	}
}

func (t *tracker) onAdd(obj interface{}, initial bool) {
	key, rvText, err := keyAndRV(obj)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.anomaly(Anomaly{Kind: "bad_object", Detail: err.Error()})
		return
	}
	rv, ok := parseRV(rvText)
	if !ok {
		t.anomaly(Anomaly{Kind: "bad_resource_version", Key: key, NewRV: rvText})
	}
	if initial {
		t.counts.AddInitial++
	} else {
		t.counts.Add++
		t.ordered(key, rv, rvText)
	}
	if old, present := t.seen[key]; present {
		t.anomaly(Anomaly{Kind: "add_of_present_object", Key: key,
			OldRV: strconv.FormatUint(old, 10), NewRV: rvText})
	}
	t.seen[key] = rv
}

func (t *tracker) onUpdate(oldObj, newObj interface{}) {
	key, newText, err := keyAndRV(newObj)
	_, oldText, oldErr := keyAndRV(oldObj)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil || oldErr != nil {
		t.anomaly(Anomaly{Kind: "bad_object", Key: key, Detail: fmt.Sprint(err, oldErr)})
		return
	}
	t.counts.Update++
	newRV, ok1 := parseRV(newText)
	oldRV, ok2 := parseRV(oldText)
	if !ok1 || !ok2 {
		t.anomaly(Anomaly{Kind: "bad_resource_version", Key: key, OldRV: oldText, NewRV: newText})
	}
	if newRV <= oldRV {
		t.anomaly(Anomaly{Kind: "update_rv_not_increasing", Key: key, OldRV: oldText, NewRV: newText})
	}
	t.ordered(key, newRV, newText)
	if seen, present := t.seen[key]; !present {
		t.anomaly(Anomaly{Kind: "update_of_unknown_object", Key: key, OldRV: oldText, NewRV: newText})
	} else if seen != oldRV {
		t.anomaly(Anomaly{Kind: "update_old_differs_from_last_seen", Key: key,
			OldRV: oldText, NewRV: newText, Detail: "last seen " + strconv.FormatUint(seen, 10)})
	}
	t.seen[key] = newRV
}

func (t *tracker) onDelete(obj interface{}) {
	tombstone := false
	if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		tombstone = true
		obj = d.Obj
	}
	key, rvText, err := keyAndRV(obj)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.anomaly(Anomaly{Kind: "bad_object", Detail: err.Error()})
		return
	}
	rv, _ := parseRV(rvText)
	if tombstone {
		t.counts.Tombstone++
	} else {
		t.counts.Delete++
		t.ordered(key, rv, rvText)
	}
	if _, present := t.seen[key]; !present {
		t.anomaly(Anomaly{Kind: "delete_of_unknown_object", Key: key, NewRV: rvText})
	}
	delete(t.seen, key)
}

func (t *tracker) onWatchError(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.watchErrors) < maxAnomalies {
		t.watchErrors = append(t.watchErrors,
			fmt.Sprintf("%.3fs %v", time.Since(t.start).Seconds(), err))
	}
}

type ResourceReport struct {
	Store        map[string]string `json:"store"`
	Count        int               `json:"count"`
	Synced       bool              `json:"synced"`
	LastSyncRV   string            `json:"last_sync_resource_version"`
	Events       Counts            `json:"events"`
	Anomalies    []Anomaly         `json:"anomalies"`
	AnomalyCount int64             `json:"anomaly_count"`
	Requests     Requests          `json:"requests"`
	WatchErrors  []string          `json:"watch_errors"`
	ErrorEvents  []string          `json:"watch_error_events"`
}

func (t *tracker) report(reqs Requests, errorEvents []string) ResourceReport {
	store := map[string]string{}
	for _, obj := range t.informer.GetStore().List() {
		if key, rv, err := keyAndRV(obj); err == nil {
			store[key] = rv
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := ResourceReport{
		Store:        store,
		Count:        len(store),
		Synced:       t.informer.HasSynced(),
		LastSyncRV:   t.informer.LastSyncResourceVersion(),
		Events:       t.counts,
		Anomalies:    append([]Anomaly{}, t.anomalies...),
		AnomalyCount: t.anomalyCount,
		Requests:     reqs,
		WatchErrors:  append([]string{}, t.watchErrors...),
		ErrorEvents:  errorEvents,
	}
	// The handlers' view must be the informer's store once the handlers have caught up; a
	// difference here is reported, not fatal, since a handler may lag the store briefly.
	var differ []string
	for key, rv := range t.seen {
		if got, ok := store[key]; !ok || got != strconv.FormatUint(rv, 10) {
			differ = append(differ, key)
		}
	}
	for key := range store {
		if _, ok := t.seen[key]; !ok {
			differ = append(differ, key)
		}
	}
	if len(differ) > 0 {
		sort.Strings(differ)
		if len(differ) > 20 {
			differ = differ[:20]
		}
		r.Anomalies = append(r.Anomalies, Anomaly{Kind: "handler_view_differs_from_store",
			Detail: strings.Join(differ, ","), AtMilli: time.Since(t.start).Milliseconds()})
		r.AnomalyCount++
	}
	return r
}

// recorder counts the informers' requests per resource and kind, and the Accept headers and
// response content types seen.
type recorder struct {
	next http.RoundTripper

	mu           sync.Mutex
	start        time.Time
	perResource  map[string]*Requests
	errorEvents  map[string][]string
	accepts      map[string]bool
	contentTypes map[string]bool
}

// errorScanner passes a JSON watch body through, keeping the ERROR events in it (such as a
// 410 that makes the informer relist, which client-go only logs at -v=4).
type errorScanner struct {
	io.ReadCloser
	rec      *recorder
	resource string
	line     []byte
}

var errorPrefix = []byte(`{"type":"ERROR"`)

func (e *errorScanner) Read(p []byte) (int, error) {
	n, err := e.ReadCloser.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			if bytes.HasPrefix(e.line, errorPrefix) {
				e.rec.errorEvent(e.resource, string(e.line))
			}
			e.line = e.line[:0]
		} else if len(e.line) < 600 {
			e.line = append(e.line, b)
		}
	}
	return n, err
}

func (r *recorder) errorEvent(resource, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errorEvents[resource]) < maxAnomalies {
		r.errorEvents[resource] = append(r.errorEvents[resource],
			fmt.Sprintf("%.3fs %s", time.Since(r.start).Seconds(), line))
	}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	resource := parts[len(parts)-1]
	resp, err := r.next.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.perResource[resource]
	if c == nil {
		c = &Requests{}
		r.perResource[resource] = c
	}
	switch {
	case req.Method != http.MethodGet:
		c.Other++
	case q.Get("watch") == "true" || q.Get("watch") == "1":
		if q.Get("sendInitialEvents") == "true" {
			c.WatchList++
		} else {
			c.Watch++
		}
	default:
		c.List++
	}
	r.accepts[req.Header.Get("Accept")] = true
	if err != nil || resp.StatusCode >= 300 {
		c.Failed++
	}
	if resp != nil {
		contentType := resp.Header.Get("Content-Type")
		r.contentTypes[contentType] = true
		if strings.HasPrefix(contentType, "application/json") && q.Get("watch") != "" {
			resp.Body = &errorScanner{ReadCloser: resp.Body, rec: r, resource: resource}
		}
	}
	return resp, err
}

func (r *recorder) snapshot(resource string) (Requests, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	errorEvents := append([]string{}, r.errorEvents[resource]...)
	if c := r.perResource[resource]; c != nil {
		return *c, errorEvents
	}
	return Requests{}, errorEvents
}

func keys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type Report struct {
	Name         string                    `json:"name"`
	Server       string                    `json:"server"`
	Namespace    string                    `json:"namespace"`
	Seconds      float64                   `json:"seconds"`
	Reason       string                    `json:"reason"`
	Resources    map[string]ResourceReport `json:"resources"`
	Accept       []string                  `json:"accept"`
	ContentTypes []string                  `json:"content_types"`
}

func progress(fields map[string]interface{}) {
	line, _ := json.Marshal(fields)
	fmt.Fprintln(os.Stderr, string(line))
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig to use (required)")
	namespace := flag.String("namespace", "", "watch one namespace only (default: all)")
	resources := flag.String("resources", "pods,configmaps", "comma-separated: pods, configmaps")
	duration := flag.Duration("duration", 0, "stop after this long (default: at SIGTERM/SIGINT)")
	syncTimeout := flag.Duration("sync-timeout", 2*time.Minute, "give up when not synced by then")
	snapshotFile := flag.String("snapshot-file", "", "where SIGUSR1 writes the current report")
	name := flag.String("name", "informer", "name in the report and the User-Agent")
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "informer: --kubeconfig is required")
		os.Exit(2)
	}

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "informer:", err)
		os.Exit(1)
	}
	config.UserAgent = "kcache-test-" + *name
	start := time.Now()
	rec := &recorder{start: start, perResource: map[string]*Requests{},
		errorEvents: map[string][]string{}, accepts: map[string]bool{},
		contentTypes: map[string]bool{}}
	config.Wrap(func(rt http.RoundTripper) http.RoundTripper { rec.next = rt; return rec })
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "informer:", err)
		os.Exit(1)
	}

	var options []informers.SharedInformerOption
	if *namespace != "" {
		options = append(options, informers.WithNamespace(*namespace))
	}
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, options...)
	trackers := map[string]*tracker{}
	for _, resource := range strings.Split(*resources, ",") {
		t := newTracker(resource, start)
		switch resource {
		case "pods":
			t.informer = factory.Core().V1().Pods().Informer()
		case "configmaps":
			t.informer = factory.Core().V1().ConfigMaps().Informer()
		default:
			fmt.Fprintln(os.Stderr, "informer: unknown resource", resource)
			os.Exit(2)
		}
		if err := t.informer.SetWatchErrorHandlerWithContext(
			func(ctx context.Context, r *cache.Reflector, err error) {
				t.onWatchError(err)
				cache.DefaultWatchErrorHandler(ctx, r, err)
			}); err != nil {
			fmt.Fprintln(os.Stderr, "informer:", err)
			os.Exit(1)
		}
		if _, err := t.informer.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
			AddFunc:    t.onAdd,
			UpdateFunc: t.onUpdate,
			DeleteFunc: t.onDelete,
		}); err != nil {
			fmt.Fprintln(os.Stderr, "informer:", err)
			os.Exit(1)
		}
		trackers[resource] = t
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	factory.Start(ctx.Done())

	build := func(reason string) Report {
		r := Report{Name: *name, Server: config.Host, Namespace: *namespace,
			Seconds: time.Since(start).Seconds(), Reason: reason,
			Resources: map[string]ResourceReport{}}
		for resource, t := range trackers {
			r.Resources[resource] = t.report(rec.snapshot(resource))
		}
		rec.mu.Lock()
		r.Accept = keys(rec.accepts)
		r.ContentTypes = keys(rec.contentTypes)
		rec.mu.Unlock()
		return r
	}

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGUSR1)
	var deadline <-chan time.Time
	if *duration > 0 {
		deadline = time.After(*duration)
	}

	synced := make(chan bool, 1)
	go func() {
		syncCtx, cancelSync := context.WithTimeout(ctx, *syncTimeout)
		defer cancelSync()
		result := factory.WaitForCacheSync(syncCtx.Done())
		ok := true
		for _, s := range result {
			ok = ok && s
		}
		synced <- ok
	}()

	reason := ""
	for reason == "" {
		select {
		case ok := <-synced:
			if !ok {
				progress(map[string]interface{}{"msg": "sync timed out",
					"seconds": time.Since(start).Seconds()})
				reason = "sync timed out"
				break
			}
			counts := map[string]int{}
			for resource, t := range trackers {
				counts[resource] = len(t.informer.GetStore().ListKeys())
			}
			progress(map[string]interface{}{"msg": "synced", "seconds": time.Since(start).Seconds(),
				"objects": counts})
		case <-deadline:
			reason = "duration"
		case s := <-signals:
			if s != syscall.SIGUSR1 {
				reason = s.String()
				break
			}
			if *snapshotFile == "" {
				progress(map[string]interface{}{"msg": "SIGUSR1 without --snapshot-file"})
				continue
			}
			data, _ := json.Marshal(build("snapshot"))
			tmp := *snapshotFile + ".tmp"
			if err := os.WriteFile(tmp, data, 0o644); err == nil {
				err = os.Rename(tmp, *snapshotFile)
			}
			if err != nil {
				progress(map[string]interface{}{"msg": "snapshot failed", "error": err.Error()})
			}
		}
	}
	report := build(reason)
	cancel()
	factory.Shutdown()
	data, err := json.Marshal(report)
	if err != nil {
		fmt.Fprintln(os.Stderr, "informer:", err)
		os.Exit(1)
	}
	os.Stdout.Write(append(data, '\n'))
	if reason == "sync timed out" {
		os.Exit(3)
	}
}
