import type { Messages } from './en';
import { dataFr } from './data.fr';

export const fr: Messages = {
  'app.name': 'Console Waybill',
  'app.skipToContent': 'Aller au contenu',
  'app.mainNav': 'Menu principal',
  'app.menu': 'Menu',
  'app.language': 'Langue',
  'app.signOut': 'Se déconnecter',
  'app.signedInAs': 'Connecté en tant que {name}',

  'state.loading': 'Chargement…',
  'state.error': 'Une erreur est survenue',
  'state.retry': 'Réessayer',
  'state.empty': 'Rien pour le moment.',
  'state.noMatch': 'Aucun résultat pour ces filtres.',
  'state.signInNeeded': 'Connectez-vous pour voir cette page.',

  'paging.next': 'Page suivante',
  'paging.previous': 'Page précédente',
  'paging.first': 'Première page',
  'paging.label': 'Pages',

  'nav.orders': 'Commandes',

  'orders.title': 'Commandes',
  'orders.filters': 'Filtres',
  'orders.status': 'Statut',
  'orders.anyStatus': 'Tous les statuts',
  'orders.customerCode': 'Code client',
  'orders.apply': 'Appliquer',
  'orders.name': 'Commande',
  'orders.identifier': 'Identifiant',
  'orders.customer': 'Client',
  'orders.reference': 'Référence client',
  'orders.updated': 'Mise à jour',
  'orders.empty': "Aucune commande pour l'instant. Les commandes arrivent par l'API ou un import.",

  'status.QUOTE': 'Devis',
  'status.TO_PLAN': 'À planifier',
  'status.PLANNED': 'Planifiée',
  'status.IN_TRANSIT': 'En transit',
  'status.COMPLETED': 'Terminée',
  'status.CANCELLED': 'Annulée',

  'notFound.title': 'Page introuvable',
  'notFound.body': "Il n'y a pas de page de la console à cette adresse.",
  'notFound.home': 'Aller aux commandes',

  // Accounting, master data and users (console-data)
  ...dataFr,
};
