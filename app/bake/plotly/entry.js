// The traces the dashboard draws (scatter is in the core) and nothing else: a smaller plotly.js to parse (build.sh).
// A figure with another trace type would draw nothing in the static edition: tests/bake/test_bake.py checks.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'),
                 require('plotly.js/lib/choropleth'), require('plotly.js/lib/scattergeo')]);
module.exports = Plotly;
