declare const PODTRUST_VERSION: string | undefined;

/** Injected by the build; read from package.json when running from source (tests). */
export const VERSION: string = typeof PODTRUST_VERSION === 'string' ? PODTRUST_VERSION : '0.1.0';

export const INFORMATION_URI = 'https://github.com/podtrust/podtrust';
