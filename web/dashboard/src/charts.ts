// Charts. The NPS over time is a uPlot line with its 95% interval as a band (uPlot draws a
// filled band between two series natively, on canvas, and is ~50 kB minified: it stays fast
// with a thousand buckets). The 0–10 histogram and the funnel are plain DOM bars (sized through
// CSSOM, which the Content-Security-Policy allows), each with a text label for screen readers.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { h } from './dom';
import { int, percent } from './format';

export interface Bucket {
  start: string;
  end: string;
  n: number;
  nps: number;
  ci_low: number;
  ci_high: number;
}

export function npsChart(host: HTMLElement, buckets: Bucket[]): uPlot {
  const xs = buckets.map((b) => Date.parse(b.start) / 1000);
  const val = (f: (b: Bucket) => number) => buckets.map((b) => (b.n > 0 ? f(b) : null));
  const data: uPlot.AlignedData = [xs, val((b) => b.nps), val((b) => b.ci_high), val((b) => b.ci_low)];
  const width = () => Math.max(280, host.clientWidth || 600);
  const opts: uPlot.Options = {
    width: width(),
    height: 260,
    scales: { x: { time: true }, y: { range: [-100, 100] } },
    axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}`) }],
    series: [
      { label: 'Start' },
      { label: 'NPS', stroke: '#1d4ed8', width: 2, points: { show: buckets.length < 60 } },
      { label: '95% high', stroke: 'rgba(29,78,216,0.35)', width: 1, dash: [4, 4] },
      { label: '95% low', stroke: 'rgba(29,78,216,0.35)', width: 1, dash: [4, 4] },
    ],
    bands: [{ series: [2, 3], fill: 'rgba(29,78,216,0.12)' }],
    legend: { live: true },
  };
  const plot = new uPlot(opts, data, host);
  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
  ro.observe(host);
  return plot;
}

const categoryOf = (score: number) => (score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter');

export function histogram(scores: number[]): HTMLElement {
  const max = Math.max(1, ...scores);
  const total = scores.reduce((a, b) => a + b, 0);
  const bars = scores.map((count, score) => {
    const bar = h('span', { class: `bar ${categoryOf(score)}` });
    bar.style.height = `${(100 * count) / max}%`;
    return h(
      'li',
      { 'data-score': score, 'data-count': count, title: `${score}: ${int(count)} (${percent(count, total)})` },
      h('span', { class: 'count' }, int(count)),
      h('span', { class: 'track' }, bar),
      h('span', { class: 'tick' }, String(score)),
      h('span', { class: 'sr-only' }, ` answers gave ${score}`),
    );
  });
  return h(
    'figure',
    { class: 'histogram' },
    h('ol', { 'aria-label': 'Answers by score, 0 to 10' }, bars),
    h(
      'figcaption',
      null,
      h('span', { class: 'key detractor' }, 'Detractors 0–6'),
      h('span', { class: 'key passive' }, 'Passives 7–8'),
      h('span', { class: 'key promoter' }, 'Promoters 9–10'),
    ),
  );
}

export interface Step {
  key: string;
  label: string;
  value: number;
}

export function funnel(steps: Step[]): HTMLElement {
  const max = Math.max(1, ...steps.map((s) => s.value));
  return h(
    'ol',
    { class: 'funnel' },
    steps.map((s, i) => {
      const bar = h('span', { class: 'fill' });
      bar.style.width = `${(100 * s.value) / max}%`;
      const prev = i > 0 ? steps[i - 1].value : 0;
      return h(
        'li',
        { 'data-step': s.key },
        h('span', { class: 'label' }, s.label),
        h('span', { class: 'track' }, bar),
        h('span', { class: 'value', 'data-figure': `funnel-${s.key}` }, int(s.value)),
        h('span', { class: 'rate' }, i > 0 ? percent(s.value, prev) : ''),
      );
    }),
  );
}
