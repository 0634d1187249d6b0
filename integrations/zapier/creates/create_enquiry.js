'use strict';

const { baseUrl } = require('../lib/http');

const perform = async (z, bundle) => {
  const input = bundle.inputData;
  const body = {
    source: 'zapier',
    first_name: input.first_name || '',
    last_name: input.last_name || '',
    email: input.email || '',
    phone: input.phone || '',
    message: input.message || '',
    shoot_type: input.shoot_type || '',
  };
  if (input.external_id) body.external_id = String(input.external_id);
  if (input.event_date) body.event_date = String(input.event_date).slice(0, 10);
  const response = await z.request({
    url: `${baseUrl(bundle)}/api/v1/inbox/enquiries`,
    method: 'POST',
    body,
  });
  return response.data;
};

module.exports = {
  key: 'create_enquiry',
  noun: 'Enquiry',
  display: {
    label: 'Create Enquiry',
    description: 'Puts an enquiry (a contact form, a lead) into Cyan\'s Inbox, ready for Import Enquiry.',
  },
  operation: {
    inputFields: [
      { key: 'first_name', label: 'First name' },
      { key: 'last_name', label: 'Last name' },
      { key: 'email', label: 'Email', helpText: 'An email or a phone is needed to answer.' },
      { key: 'phone', label: 'Phone' },
      { key: 'message', label: 'Message', type: 'text' },
      { key: 'shoot_type', label: 'Shoot type', helpText: 'e.g. Wedding' },
      { key: 'event_date', label: 'Date asked for', helpText: 'YYYY-MM-DD' },
      { key: 'external_id', label: 'Enquiry ID', helpText: 'Sent twice with the same ID, it is stored once.' },
    ],
    perform,
    sample: { item: { id: 2, kind: 'enquiry', state: 'new', customer_name: 'Ada Lovelace' }, created: true, duplicate: false },
  },
};
