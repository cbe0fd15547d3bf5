// The audience cut (issue 16): a select of the shop's audiences (GET /api/v1/audiences) for the
// reports that take `audience=ID`, filled in when they arrive so it never holds up the page; the
// current value is an option from the start. Names are text nodes (h()), shown as typed.
import { get } from './api';
import { h } from './dom';

interface Audiences {
  audiences: { id: number; name: string }[];
}

export function audienceSelect(name: string, value: string): HTMLSelectElement {
  const select = h('select', { name }, h('option', { value: '' }, 'All customers'));
  if (value) select.append(h('option', { value, selected: true }, `Audience ${value}`));
  get<Audiences>('/api/v1/audiences')
    .then((list) => {
      for (const a of list.audiences) {
        const id = String(a.id);
        const known = [...select.options].find((o) => o.value === id);
        if (known) known.textContent = a.name;
        else select.append(h('option', { value: id }, a.name));
      }
      select.dataset.loaded = 'true';
    })
    .catch(() => {
      select.dataset.loaded = 'error';
    });
  return select;
}
