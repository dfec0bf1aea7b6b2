/** Injection token of the loaded `Config`. */
export const CONFIG = 'aliastrail.config';
