'use strict';

const { baseUrl } = require('./lib/http');

// The studio's API key (Preferences → Integrations → API & Zapier), checked with
// GET /api/v1/me; the connection is labelled with the studio's name.
module.exports = {
  type: 'custom',
  fields: [
    {
      key: 'base_url',
      label: 'Cyan address',
      required: true,
      type: 'string',
      helpText: 'The address you open Cyan at, e.g. `https://cyan.example.com`.',
    },
    {
      key: 'api_key',
      label: 'API key',
      required: true,
      type: 'password',
      helpText: 'In Cyan: Preferences → Integrations → API & Zapier → **Generate API Key**.',
    },
  ],
  test: async (z, bundle) => {
    const response = await z.request({ url: `${baseUrl(bundle)}/api/v1/me` });
    return response.data;
  },
  connectionLabel: (z, bundle) => bundle.inputData.name,
};
