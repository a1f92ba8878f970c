export {
  createPlatform,
  DEFAULT_PLATFORM_LISTEN,
  type Platform,
  type PlatformAdmin,
  type PlatformOptions,
  type PlatformState,
  type TargetState,
  type TrafficPatch,
  type FaultsPatch,
} from './platform';
export { SEMCONV_MODES, semconvModeFromEnv, APP_RECORDED_HEADER, type SemconvMode } from './telemetry';
export {
  sandboxTargets,
  dailyShape,
  saleMultiplier,
  isFaultedCall,
  WeightedRotation,
  DAILY_SHAPE,
  DEFAULT_SALE,
  PLATFORM_CLIENTS,
  type PlatformTarget,
  type PlatformClient,
  type SaleEvent,
  type TargetFaults,
} from './workload';
