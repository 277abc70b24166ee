// The report's style sheet: a constant of this code base (no trace data), inlined in <style>.
export const STYLE = `
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
header.top{background:#0f172a;color:#f8fafc;padding:22px 28px}
header.top .inner{max-width:1180px;margin:0 auto;padding:0 28px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650;overflow-wrap:anywhere}
header.top .sub{color:#cbd5e1;font-size:13px;overflow-wrap:anywhere}
h2{font-size:18px;margin:32px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0 6px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:130px}
.card .n{font-size:22px;font-weight:650}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
th{background:#f1f5f9;font-weight:600;font-size:12px;color:#334155;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.meta th{width:170px;background:#f8fafc}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{margin:4px 0;padding:8px;background:#0f172a;color:#e2e8f0;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11px;font-weight:650;text-transform:uppercase;letter-spacing:.03em;color:#fff;white-space:nowrap}
.sev-critical{background:#7f1d1d}.sev-high{background:#dc2626}.sev-medium{background:#ea580c}.sev-low{background:#ca8a04}.sev-info{background:#64748b}
.st-completed,.oc-ok,.v-used-declared{background:#059669}.st-failed,.oc-failed,.v-used-undeclared{background:#dc2626}
.st-interrupted,.st-running,.oc-running,.oc-skipped,.v-declared-unused{background:#d97706}.v-used-no-permission,.v-unknown{background:#64748b}
.chip{display:inline-block;margin:1px 4px 1px 0;padding:0 6px;border-radius:4px;background:#eef2ff;color:#3730a3;font-size:12px;white-space:nowrap}
.chip b{font-weight:650}
.muted{color:var(--muted)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px}
svg.timeline text{font:11px system-ui,sans-serif;fill:#334155}
svg.timeline .phase-label{font-weight:600;fill:#475569}
svg.timeline .grid{stroke:#f1f5f9}
svg.timeline .step-marker line{stroke:#0f172a;stroke-width:1;stroke-dasharray:3 3;opacity:.55}
svg.timeline .step-marker circle{fill:#0f172a}
svg.timeline .step-marker text{fill:#fff;font-size:9px;font-weight:700}
svg.timeline .step-marker.failed circle{fill:#dc2626}
svg.timeline .tick{fill:#64748b}
svg.timeline .background-span{fill:#0f172a;fill-opacity:.08}
.legend{margin:6px 0 0;color:var(--muted);font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border:1px solid #cbd5e1;border-radius:2px;margin:0 3px 0 6px;vertical-align:-1px}
details.finding{background:var(--card);border:1px solid var(--line);border-left:4px solid #64748b;border-radius:6px;margin:8px 0;padding:8px 12px}
details.finding.sev-b-critical{border-left-color:#7f1d1d}details.finding.sev-b-high{border-left-color:#dc2626}
details.finding.sev-b-medium{border-left-color:#ea580c}details.finding.sev-b-low{border-left-color:#ca8a04}
details.finding>summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
details.finding>summary .meta{font-weight:400;color:var(--muted);margin-left:6px}
details.finding .detail{margin:8px 0;white-space:pre-wrap;overflow-wrap:anywhere}
details.evidence>summary{cursor:pointer;color:var(--accent);font-size:13px;margin:4px 0}
.nowrap{white-space:nowrap}
details.stack>summary{cursor:pointer;color:var(--accent);font-size:12px}
.ok{color:#059669}.bad{color:#dc2626}
.cl-violated{background:#dc2626}.cl-not-observed{background:#059669}.cl-not-tested{background:#94a3b8}.cl-person{background:#7c3aed}
table.checklist tr.group th{background:#f1f5f9;text-align:left}
ul.cl-links{margin:0;padding-left:16px}
.ui-moment{margin:6px 0;font-size:13px;overflow-wrap:anywhere}
footer{margin-top:36px;color:var(--muted);font-size:12px}
`;
