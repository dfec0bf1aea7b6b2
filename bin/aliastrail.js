#!/usr/bin/env node
'use strict';
// `npx aliastrail …` from the checkout: the signing client (src/client/), built first if stale.
require('./run-built.js').runBuilt('dist/src/client/aliastrail.js');
