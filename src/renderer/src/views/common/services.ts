import { createContext, use } from 'react';
import type { RendererClient } from '../../api/connection';
import type { Loaders } from '../../store/loaders';

/** What views need from outside React: the API and the loaders that fill the store. */
export type Services = { api: RendererClient; loaders: Loaders };

/** Provided once by `App`. */
export const ServicesContext = createContext<Services | null>(null);

/** The services of the nearest `ServicesContext`. */
export function useServices(): Services {
  const services = use(ServicesContext);
  if (services === null) throw new Error('useServices() needs a ServicesContext provider.');
  return services;
}
