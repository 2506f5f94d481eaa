import type { Messages } from './en.ts';

const fr: Messages = {
  common: {
    brand: 'Guichet',
    skipToContent: 'Aller au contenu',
    language: 'Langue',
    nav: { events: 'Événements', account: 'Mon compte', signIn: 'Se connecter', signOut: 'Se déconnecter', manage: 'Back-office', door: 'Contrôle', cart: 'Panier' },
    loading: 'Chargement…',
    retry: 'Réessayer',
    notFound: { title: 'Page introuvable', body: "Cette page n'existe pas ou a été déplacée.", home: 'Retour aux événements' },
    errors: {
      generic: "Une erreur s'est produite. Veuillez réessayer.",
      network: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
      SOLD_OUT: "Complet entre-temps : il ne reste plus assez de places.",
      HOLD_EXPIRED: 'Votre réservation a expiré : les places ont été libérées. Ajoutez-les de nouveau pour continuer.',
      NOT_ON_SALE: "Ces billets ne sont pas en vente ici pour le moment.",
      OVER_MAX_PER_ORDER: 'Cela dépasse le maximum autorisé par commande.',
      CODE_INVALID: "Ce code promo n'existe pas ou ne s'applique pas à ces billets.",
      CODE_EXHAUSTED: 'Ce code promo a été épuisé.',
      PAYMENT_DECLINED: "Votre carte a été refusée. Rien n'a été débité ; essayez une autre carte.",
      INVALID_CREDENTIALS: "L'adresse e-mail ou le mot de passe est incorrect.",
      VALIDATION_FAILED: 'Certaines réponses manquent ou sont invalides.',
      TOKEN_EXPIRED: "Ce lien ou ce code n'est plus valable.",
      RATE_LIMITED: 'Trop de tentatives. Patientez un instant et réessayez.',
      CONFLICT: 'Cela existe déjà.',
      NOT_FOUND: 'Introuvable.',
      FORBIDDEN: "Vous n'avez pas le droit de faire cela.",
      UNAUTHENTICATED: 'Veuillez vous connecter.',
    },
    placeholder: { manage: 'Le back-office ouvre ici bientôt.', door: "L'application de contrôle ouvre ici bientôt." },
    close: 'Fermer',
    back: 'Retour',
    save: 'Enregistrer',
    cancel: 'Annuler',
    field: '{{label}} : {{value}}',
  },
};
export default fr;
