// Tiny HTML helpers for the human pages of the peers (server-rendered, no build step).
import QRCode from 'qrcode';
import { esc } from './http.mjs';

export async function qrSvg(text) {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 2, width: 320 });
}

export function layout({ title, body, script = '' }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
 body{font-family:system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;background:#f6f7f9}
 header{display:flex;align-items:center;gap:.75rem} header img{width:40px;height:40px}
 h1{font-size:1.35rem;margin:.2rem 0} h2{font-size:1.1rem;margin-top:1.5rem}
 .card{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}
 label{display:block;margin:.45rem 0} input[type=text],input[type=email],select{width:100%;padding:.4rem;box-sizing:border-box}
 .row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem} .opts label{display:inline-block;margin-right:1.25rem}
 button{background:#0B2D5B;color:#fff;border:0;border-radius:6px;padding:.55rem 1.1rem;font-size:1rem;cursor:pointer}
 .pin{font-size:2rem;letter-spacing:.4rem;font-weight:bold;font-family:monospace}
 .qr svg{width:280px;height:280px;background:#fff} code,.mono{font-family:monospace;word-break:break-all;font-size:.85rem}
 .ok{color:#0a7a2f;font-weight:bold} .bad{color:#b00020;font-weight:bold} .muted{color:#666;font-size:.9rem}
 a.btn{display:inline-block;background:#F5A623;color:#000;padding:.55rem 1.1rem;border-radius:6px;text-decoration:none;font-weight:bold}
</style></head>
<body><header><img src="/static/logo.svg" alt=""><div><h1>${esc(title)}</h1><div class="muted">Local sandbox peer, Credo-ts 0.6.3</div></div></header>
${body}
${script ? `<script>${script}</script>` : ''}
</body></html>`;
}
