// Tests that synthesize a PipelineApp would list every generated file on stderr; the listing has its own test.
process.env.SLIPWAY_QUIET = '1';
