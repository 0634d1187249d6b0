'use strict';

// Zap fields (a Pic-Time "New Order Placed" step, or any shop) → Cyan's normalized order
// (docs/gallery-order.md). Amounts arrive as decimals and leave as integer minor units;
// Cyan checks that the totals add up and says which one does not.

const { toMinor } = require('./money');

const KINDS = ['print', 'album', 'wall_art', 'digital', 'package', 'product', 'service'];
const STATUSES = {
  placed: 'placed', new: 'placed', open: 'placed', pending: 'placed',
  processing: 'processing', 'in production': 'processing', 'in progress': 'processing',
  shipped: 'shipped', sent: 'shipped', dispatched: 'shipped',
  completed: 'completed', complete: 'completed', fulfilled: 'completed', delivered: 'completed',
  cancelled: 'cancelled', canceled: 'cancelled', void: 'cancelled',
};
const PAYMENTS = {
  paid: 'paid', unpaid: 'unpaid', 'not paid': 'unpaid', pending: 'unpaid',
  'partially paid': 'partially_paid', partially_paid: 'partially_paid',
  refunded: 'refunded', 'partially refunded': 'partially_refunded',
  partially_refunded: 'partially_refunded',
};

const text = (value) => (value === undefined || value === null ? '' : String(value).trim());

const kindOf = (value) => {
  const kind = text(value).toLowerCase().replace(/[\s-]+/g, '_');
  if (KINDS.includes(kind)) return kind;
  if (kind.includes('print')) return 'print';
  if (kind.includes('album') || kind.includes('book')) return 'album';
  if (kind.includes('canvas') || kind.includes('wall')) return 'wall_art';
  if (kind.includes('digital') || kind.includes('download')) return 'digital';
  return 'product';
};

const splitName = (full) => {
  const words = text(full).split(/\s+/).filter(Boolean);
  return { first: words[0] || '', last: words.slice(1).join(' ') };
};

const timestamp = (value, field) => {
  const raw = text(value);
  if (!raw) return '';
  const parsed = new Date(raw);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`${field}: "${raw}" is not a date and time.`);
  }
  return parsed.toISOString();
};

const integer = (value, field, fallback) => {
  if (text(value) === '') return fallback;
  const number = Number(text(value));
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`${field}: "${value}" is not a whole number of at least 1.`);
  }
  return number;
};

const linesOf = (input, currency) => {
  const given = Array.isArray(input.line_items) ? input.line_items : [];
  return given
    .filter((line) => text(line.line_name) || text(line.line_unit_price))
    .map((line, index) => {
      const where = `line ${index + 1}`;
      const quantity = integer(line.line_quantity, `${where} quantity`, 1);
      const unit = toMinor(line.line_unit_price, currency, `${where} unit price`);
      const discount = toMinor(line.line_discount, currency, `${where} discount`);
      const tax = toMinor(line.line_tax, currency, `${where} tax`);
      return {
        kind: kindOf(line.line_kind || line.line_name),
        name: text(line.line_name) || `Item ${index + 1}`,
        quantity,
        unit_price_minor: unit,
        discount_minor: discount,
        tax_minor: tax,
        total_minor: 0, // set once prices_include_tax is known
        ...(text(line.line_sku) ? { sku: text(line.line_sku) } : {}),
      };
    });
};

const toOrder = (input) => {
  const currency = text(input.currency).toUpperCase();
  const includeTax = input.prices_include_tax === true || text(input.prices_include_tax) === 'true';
  const money = (name, label) => toMinor(input[name], currency, label);
  let lines = linesOf(input, currency);
  const shipping = money('shipping', 'shipping');
  const discount = money('discount', 'discount');
  const orderTax = money('tax', 'tax');
  if (lines.length === 0) {
    // No line items mapped: one line for the goods (the subtotal, else what the total
    // leaves after shipping and tax, before the discount).
    const subtotal = text(input.subtotal)
      ? money('subtotal', 'subtotal')
      : money('total', 'total') - shipping - (includeTax ? 0 : orderTax) + discount;
    lines = [{
      kind: 'product',
      name: `Order ${text(input.order_number) || text(input.order_id)}`,
      quantity: 1,
      unit_price_minor: Math.max(subtotal, 0),
      discount_minor: 0,
      tax_minor: 0,
      total_minor: 0,
    }];
  }
  // An order-level tax without per-line taxes is carried by the first line, so the
  // order's tax still equals the sum of its lines' (Cyan's rule).
  if (orderTax && lines.every((line) => line.tax_minor === 0)) {
    lines[0].tax_minor = orderTax;
  }
  for (const line of lines) {
    const gross = line.quantity * line.unit_price_minor - line.discount_minor;
    line.total_minor = includeTax ? gross : gross + line.tax_minor;
  }
  const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.unit_price_minor - l.discount_minor, 0);
  const tax = lines.reduce((sum, l) => sum + l.tax_minor, 0);
  const computed = subtotal + (includeTax ? 0 : tax) + shipping - discount;
  const total = text(input.total) ? money('total', 'total') : computed;
  const paymentStatus = PAYMENTS[text(input.payment_status).toLowerCase()] || 'paid';
  const statusRaw = text(input.status);
  const paid = text(input.amount_paid)
    ? money('amount_paid', 'amount paid')
    : ['paid', 'partially_refunded', 'refunded'].includes(paymentStatus) ? total : 0;
  const name = splitName(input.customer_name);
  const placedAt = timestamp(input.placed_at, 'placed at') || new Date().toISOString();
  const order = {
    provider: text(input.provider) || 'zapier',
    account_id: text(input.account_id) || text(input.shop) || 'zapier',
    order_id: text(input.order_id),
    order_number: text(input.order_number) || text(input.order_id),
    customer: {
      first_name: text(input.customer_first_name) || name.first,
      last_name: text(input.customer_last_name) || name.last,
      email: text(input.customer_email),
      phone: text(input.customer_phone),
    },
    currency,
    prices_include_tax: includeTax,
    lines,
    discounts: discount ? [{ code: text(input.discount_code), amount_minor: discount }] : [],
    shipping_minor: shipping,
    tax_minor: tax,
    subtotal_minor: subtotal,
    total_minor: total,
    amount_paid_minor: paid,
    payment_collected_by: text(input.collected_by) === 'studio' ? 'studio' : 'provider',
    status: STATUSES[statusRaw.toLowerCase()] || 'placed',
    status_raw: statusRaw,
    payment_status: paymentStatus,
    payment_status_raw: text(input.payment_status),
    placed_at: placedAt,
    updated_at: timestamp(input.updated_at, 'updated at') || placedAt,
  };
  if (text(input.gallery_id) || text(input.gallery_name)) {
    order.gallery = {
      id: text(input.gallery_id) || text(input.gallery_name),
      name: text(input.gallery_name),
      url: text(input.gallery_url),
    };
  }
  return order;
};

module.exports = { toOrder, kindOf, splitName };
