/** Fixture factory for tests: the panel's module setup (src/host-standin/panel.ts). */
export { createModule, MODULE_DEFAULTS, type ModuleFixture } from '../../src/host-standin/panel';
