// The Growth page's shop-defined themes (issue 16): the shop's own themes (a name and keywords)
// with what the API measures for each (comments tagged, shares among promoters, passives and
// detractors with their intervals, the tagged answers' NPS, an example), a form to add one and a
// Delete button (admins); and the themes over time, week by week, with the API's marks where a
// theme's share changed significantly; beside them the discovered terms (the comment themes' top
// terms each way, `terms=discovered`) over time, marked alike. Every figure is the API's;
// comments and terms are text, never markup.
import { api, get, message } from './api';
import { field, h, say, status } from './dom';
import { int, oneDecimal } from './format';
import { Column, table } from './table';

interface Share {
  tagged: number;
  comments: number;
  share: number | null;
  ci_low: number;
  ci_high: number;
}
interface ThemeFigures {
  id: number;
  name: string;
  keywords: string[];
  tagged: number;
  share: Share;
  promoters: Share;
  passives: Share;
  detractors: Share;
  nps: { n: number; nps: number; ci_low: number; ci_high: number };
  examples: { score: number; comment: string }[];
}
interface TaggedReport {
  comments: number;
  themes: ThemeFigures[];
}
interface BucketTheme extends Share {
  id: number;
  vs_previous: { difference: number; p_value: number; significant: boolean } | null;
}
interface Timeline {
  themes: { id: number; name: string }[];
  terms?: { term: string; display: string; phrase: boolean; leans: string }[];
  buckets: { start: string; end: string; comments: number; themes: BucketTheme[]; terms?: BucketTheme[] }[];
}
type TimelineBucket = Timeline['buckets'][number];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

// "12.5% [8.1%, 18.0%]", or "–" without comments.
export function shareText(s: Share): string {
  return s.share === null ? '–' : `${pct(s.share)} [${pct(s.ci_low)}, ${pct(s.ci_high)}]`;
}

// A table of series by bucket: each series' tagged comments and share, marked where it rose or
// fell significantly against the bucket before.
function seriesTable(caption: string, interval: string, rows: TimelineBucket[], series: { label: string; pick: (b: TimelineBucket) => BucketTheme | undefined }[]): HTMLElement {
  return table(
    caption,
    [
      { label: interval === 'week' ? 'Week from' : 'Month from', cell: (b: TimelineBucket) => b.start.slice(0, 10) },
      { label: 'Comments', cell: (b) => int(b.comments), numeric: true },
      ...series.map((one) => ({
        label: one.label,
        cell: (b: TimelineBucket) => {
          const x = one.pick(b);
          if (!x) return '–';
          const mark = x.vs_previous?.significant
            ? h('strong', { 'data-mark': x.vs_previous.difference > 0 ? 'up' : 'down' }, x.vs_previous.difference > 0 ? ' ▲ rose' : ' ▼ fell')
            : null;
          return [`${int(x.tagged)} · ${shareText(x)}`, mark];
        },
        numeric: true,
      })),
    ],
    rows,
    'No comments in this range.',
  );
}

function overTime(t: Timeline, interval: string): HTMLElement {
  if (t.themes.length === 0) return h('p', { class: 'empty' }, 'Define a theme to follow it over time.');
  const rows = t.buckets.filter((b) => b.comments > 0);
  return seriesTable('Themes over time', interval, rows, t.themes.map((theme, i) => ({ label: theme.name, pick: (b) => b.themes[i] })));
}

function discoveredOverTime(t: Timeline, interval: string): HTMLElement {
  const terms = t.terms ?? [];
  if (terms.length === 0) return h('p', { class: 'empty' }, 'No term stands out in this range.');
  const rows = t.buckets.filter((b) => b.comments > 0);
  return seriesTable(
    'Discovered terms over time',
    interval,
    rows,
    terms.map((term, i) => ({ label: `${term.display} (${term.leans})`, pick: (b) => b.terms?.[i] })),
  );
}

// Weeks for up to two years, months beyond (the API answers at most 400 buckets).
export function themeInterval(from: string, to: string): string {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  return Number.isFinite(days) && days <= 731 ? 'week' : 'month';
}

export async function definedThemes(range: string, interval: string, canWrite: boolean): Promise<HTMLElement> {
  const host = h('section', { 'aria-labelledby': 'growth-defined' });
  const listStatus = status();
  const load = async () => {
    const [tagged, timeline] = await Promise.all([
      get<TaggedReport>(`/api/v1/themes/tagged${range}`),
      get<Timeline>(`/api/v1/themes/over-time${range}${range ? '&' : '?'}interval=${interval}&terms=discovered`),
    ]);
    const columns: Column<ThemeFigures>[] = [
      { label: 'Theme', cell: (t: ThemeFigures) => t.name },
      { label: 'Keywords', cell: (t: ThemeFigures) => t.keywords.join(', ') },
      { label: 'Comments', cell: (t: ThemeFigures) => int(t.tagged), numeric: true },
      { label: 'Of detractors (95%)', cell: (t: ThemeFigures) => shareText(t.detractors), numeric: true },
      { label: 'Of passives (95%)', cell: (t: ThemeFigures) => shareText(t.passives), numeric: true },
      { label: 'Of promoters (95%)', cell: (t: ThemeFigures) => shareText(t.promoters), numeric: true },
      {
        label: 'Their NPS (95%)',
        cell: (t: ThemeFigures) => (t.nps.n ? `${oneDecimal(t.nps.nps)} [${oneDecimal(t.nps.ci_low)}, ${oneDecimal(t.nps.ci_high)}]` : '–'),
        numeric: true,
      },
      { label: 'Example', cell: (t: ThemeFigures) => (t.examples.length ? h('q', null, t.examples[0].comment) : '–') },
    ];
    if (canWrite) {
      columns.push({
        label: 'Actions',
        cell: (t: ThemeFigures) => {
          const del = h('button', { type: 'button', class: 'link', 'data-delete-theme': String(t.id), 'aria-label': `Delete theme ${t.name}` }, 'Delete');
          del.addEventListener('click', async () => {
            try {
              await api<void>('DELETE', `/api/v1/themes/defined/${t.id}`);
              say(listStatus, `Deleted ${t.name}.`);
              await load();
            } catch (e) {
              say(listStatus, message(e), true);
            }
          });
          return del;
        },
      });
    }
    host.replaceChildren(
      h('h2', { id: 'growth-defined' }, 'Your themes'),
      h('p', null, `${int(tagged.comments)} comments in this range; a comment carries a theme when it uses one of its keywords (stemmed, English or German).`),
      table<ThemeFigures>('Defined themes', columns, tagged.themes, 'No themes defined yet.'),
      listStatus,
      ...(form ? [form] : []),
      h('h3', null, 'Themes over time'),
      overTime(timeline, interval),
      h('h3', null, 'Discovered terms over time'),
      h('p', { class: 'note' }, "The comment themes' top terms each way, followed as themes are; the share of each bucket's comments using the term."),
      discoveredOverTime(timeline, interval),
    );
  };

  const name = h('input', { type: 'text', name: 'theme-name', required: true, maxlength: 100 });
  const keywords = h('input', { type: 'text', name: 'theme-keywords', required: true, placeholder: 'delivery, Lieferung, late parcel' });
  const submit = h('button', { type: 'submit' }, 'Add theme');
  const out = status();
  const form = canWrite
    ? h(
        'form',
        { class: 'controls', id: 'theme-form', 'aria-label': 'Add a theme' },
        field('Theme name', name),
        field('Keywords', keywords, 'Words or two-word phrases, separated by commas.'),
        submit,
        out,
      )
    : null;
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const words = keywords.value.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
      const t = await api<{ name: string }>('POST', '/api/v1/themes/defined', { name: name.value, keywords: words });
      name.value = '';
      keywords.value = '';
      await load();
      say(out, `Added ${t.name}.`);
    } catch (err) {
      say(out, message(err), true);
    } finally {
      submit.disabled = false;
    }
  });
  await load();
  return host;
}
