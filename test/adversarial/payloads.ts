/**
 * Strings an attacker (or a careless copy-paste) puts into a values file. Each one must either be
 * refused with a located message or come out of every generated file byte-for-byte as data.
 */
export const PAYLOADS: readonly string[] = [
  '{{ lookup "v1" "Secret" "kube-system" "" | toJson }}',
  '{{ fail "zonal-injected" }}',
  '{{- .Release.Name -}}',
  '{{/* hidden */}}visible',
  '}} {{ {{{ }}}',
  '`id` $(id) ${HOME} \'; rm -rf / #',
  'line1\nline2: injected',
  'x\r\ny: carriage',
  'a"b\'c\\d',
  '---\nkind: Secret',
  '# not a comment',
  'key: value',
  'é ü 😀 中文 \u00a0nbsp \u200bzwsp',
  '\u2028LS\u2029PS\u0085NEL',
  '\ttab\u0000nul\u001b[31m\u007f',
  ' lead and trail ',
  'null',
  '0x1F',
  '*alias &anchor !tag %pct @at |>',
  'ZNLPH0ZNL',
  '/{{ lookup "v1" "Secret" "kube-system" "" | toJson }}',
  '/ok\n  evil: true',
  'https://x.example.com/{{ fail "u" }}',
  'https://x.example.com/\n  injected: true',
  'registry.example.com/a"b',
];
