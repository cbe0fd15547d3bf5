// The product-category filter (a segment): a select of the categories seen in the shop's orders
// (GET /api/v1/categories), filled in when they arrive so it never holds up the page; the current
// value is an option from the start.
import { get } from './api';
import { h } from './dom';

interface Categories {
  categories: { category: string; orders: number }[];
}

let cached: Promise<Categories> | null = null;

// `after`: fetch once it settles (the overview waits for its figures, so on a big shop the count
// of orders per category does not compete with them for the server).
export function categorySelect(name: string, value: string, after: Promise<unknown> = Promise.resolve()): HTMLSelectElement {
  const select = h('select', { name }, h('option', { value: '' }, 'All categories'));
  if (value) select.append(h('option', { value, selected: true }, value));
  after
    .catch(() => {})
    .then(() => (cached ??= get<Categories>('/api/v1/categories')))
    .then((c) => {
      for (const { category, orders } of c.categories) {
        const label = `${category} (${orders.toLocaleString('en')} orders)`;
        const known = [...select.options].find((o) => o.value === category);
        if (known) known.textContent = label;
        else select.append(h('option', { value: category }, label));
      }
      select.dataset.loaded = 'true';
    })
    .catch(() => {
      cached = null;
      select.dataset.loaded = 'error';
    });
  return select;
}
