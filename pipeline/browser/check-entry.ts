// The check page's script (bundled by pipeline/outputs/check-page.ts): reads the period's embedded data,
// takes files from the picker or a drop, runs THE SAME checkFile the pipeline runs, and shows the findings.
// Everything happens in this page: no fetch, no XHR; the page's CSP forbids any connection anyway.
import { z } from 'zod';
import { checkFile } from '../check.ts';
import { contextFromPageData, type CheckPageData } from './page-data.ts';
import { renderCheck, renderFailure } from './render.ts';
import { previousForRules } from '../previous-figures.ts';

// zod probes `new Function` for its fast path; the page's CSP has no 'unsafe-eval', so do not ask.
z.config({ jitless: true });

const $ = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`check page: #${id} is missing`);
  return el;
};

const data = JSON.parse($('banbao-check-data').textContent ?? '') as CheckPageData;
const ctx = contextFromPageData(data);
const previous = previousForRules(data.previous);
const input = $('file') as HTMLInputElement;
const drop = $('drop');
const results = $('results');

async function checkFiles(files: File[]): Promise<void> {
  document.body.dataset.state = 'checking';
  results.setAttribute('aria-busy', 'true');
  results.innerHTML = `<p class="busy">正在检查 ${files.length} 个文件……</p>`;
  const parts: string[] = [];
  for (const f of files) {
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      parts.push(renderCheck(await checkFile({ file: f.name, bytes }, ctx, previous), ctx));
    } catch (e) {
      console.error(e);
      parts.push(renderFailure(f.name, e));
    }
  }
  results.innerHTML = parts.join('\n');
  results.removeAttribute('aria-busy');
  document.body.dataset.state = 'done';
  results.focus();
}

input.addEventListener('change', () => {
  const files = input.files ? [...input.files] : [];
  input.value = ''; // the same file chosen again after a fix is checked again
  if (files.length) void checkFiles(files);
});

// a file dropped anywhere is checked, never opened by the browser in place of the page
for (const type of ['dragenter', 'dragover'] as const)
  window.addEventListener(type, (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    drop.classList.add('over');
  });
window.addEventListener('dragleave', (e) => {
  if (!e.relatedTarget) drop.classList.remove('over');
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const files = e.dataTransfer ? [...e.dataTransfer.files] : [];
  if (files.length) void checkFiles(files);
});
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    input.click();
  }
});
document.body.dataset.state = 'ready';
