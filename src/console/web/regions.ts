/** The Regions the Region selector offers (aliastrail serves any; these are AWS's commercial ones). */
export const REGIONS: readonly { readonly id: string; readonly name: string }[] = [
  { id: 'us-east-1', name: 'US East (N. Virginia)' },
  { id: 'us-east-2', name: 'US East (Ohio)' },
  { id: 'us-west-1', name: 'US West (N. California)' },
  { id: 'us-west-2', name: 'US West (Oregon)' },
  { id: 'ca-central-1', name: 'Canada (Central)' },
  { id: 'eu-central-1', name: 'Europe (Frankfurt)' },
  { id: 'eu-west-1', name: 'Europe (Ireland)' },
  { id: 'eu-west-2', name: 'Europe (London)' },
  { id: 'eu-west-3', name: 'Europe (Paris)' },
  { id: 'eu-north-1', name: 'Europe (Stockholm)' },
  { id: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
  { id: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
  { id: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
  { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' },
  { id: 'ap-southeast-2', name: 'Asia Pacific (Sydney)' },
  { id: 'sa-east-1', name: 'South America (São Paulo)' },
];

export const DEFAULT_REGION = 'us-east-1';

/** The Region a URL names (?region=), else the default. */
export function regionOf(search: URLSearchParams): string {
  const region = search.get('region');
  return region && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region) ? region : DEFAULT_REGION;
}
