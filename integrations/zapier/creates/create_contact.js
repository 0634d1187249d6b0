'use strict';

const { baseUrl } = require('../lib/http');

const list = (value) => (value ? [String(value).trim()].filter(Boolean) : []);

const perform = async (z, bundle) => {
  const input = bundle.inputData;
  const body = {
    first_name: input.first_name || '',
    last_name: input.last_name || '',
    company: input.company || '',
    notes: input.notes || '',
    emails: list(input.email).map((email) => ({ email })),
    phones: list(input.phone).map((number) => ({ number })),
    tags: Array.isArray(input.tags) ? input.tags.filter(Boolean) : list(input.tags),
  };
  const response = await z.request({
    url: `${baseUrl(bundle)}/api/v1/contacts`,
    method: 'POST',
    body,
  });
  return response.data;
};

module.exports = {
  key: 'create_contact',
  noun: 'Contact',
  display: { label: 'Create Contact', description: 'Creates a contact in Cyan.' },
  operation: {
    inputFields: [
      { key: 'first_name', label: 'First name' },
      { key: 'last_name', label: 'Last name' },
      { key: 'company', label: 'Company' },
      { key: 'email', label: 'Email' },
      { key: 'phone', label: 'Phone' },
      { key: 'notes', label: 'Notes', type: 'text' },
      { key: 'tags', label: 'Tags', list: true },
    ],
    perform,
    sample: { id: 1, first_name: 'Ada', last_name: 'Lovelace', display_name: 'Ada Lovelace', emails: [{ email: 'ada@example.com', label: '', is_primary: true }] },
  },
};
