import type { Messages } from './en';
import { dataNl } from './data.nl';

export const nl: Messages = {
  'app.name': 'Waybill-console',
  'app.skipToContent': 'Naar de inhoud',
  'app.mainNav': 'Hoofdmenu',
  'app.menu': 'Menu',
  'app.language': 'Taal',
  'app.signOut': 'Afmelden',
  'app.signedInAs': 'Aangemeld als {name}',

  'state.loading': 'Laden…',
  'state.error': 'Er ging iets mis',
  'state.retry': 'Opnieuw proberen',
  'state.empty': 'Hier is nog niets.',
  'state.noMatch': 'Niets voldoet aan deze filters.',
  'state.signInNeeded': 'Meld u aan om deze pagina te zien.',

  'paging.next': 'Volgende pagina',
  'paging.previous': 'Vorige pagina',
  'paging.first': 'Eerste pagina',
  'paging.label': "Pagina's",

  'nav.orders': 'Orders',

  'orders.title': 'Orders',
  'orders.filters': 'Filters',
  'orders.status': 'Status',
  'orders.anyStatus': 'Elke status',
  'orders.customerCode': 'Klantcode',
  'orders.apply': 'Toepassen',
  'orders.name': 'Order',
  'orders.identifier': 'Kenmerk',
  'orders.customer': 'Klant',
  'orders.reference': 'Referentie klant',
  'orders.updated': 'Bijgewerkt',
  'orders.empty': 'Nog geen orders. Orders komen binnen via de API of een import.',

  'status.QUOTE': 'Offerte',
  'status.TO_PLAN': 'Te plannen',
  'status.PLANNED': 'Gepland',
  'status.IN_TRANSIT': 'Onderweg',
  'status.COMPLETED': 'Afgerond',
  'status.CANCELLED': 'Geannuleerd',

  'notFound.title': 'Pagina niet gevonden',
  'notFound.body': 'Op dit adres staat geen pagina van de console.',
  'notFound.home': 'Naar de orders',

  // Accounting, master data and users (console-data)
  ...dataNl,
};
