import './locales.ts';
import { Route, Routes } from 'react-router';
import { Layout } from '../shared/Layout.tsx';
import { NotFound } from '../shared/Status.tsx';
import { SignIn, SignUp, ResetPassword } from './SignIn.tsx';
import { AccountHome } from './AccountHome.tsx';
import { ClaimTransfer } from './Transfers.tsx';

/** The buyer's account: sign in and up, password reset and change, orders and tickets. */
export default function AccountArea() {
  return (
    <Layout>
      <Routes>
        <Route index element={<AccountHome />} />
        <Route path="sign-in" element={<SignIn />} />
        <Route path="sign-up" element={<SignUp />} />
        <Route path="reset" element={<ResetPassword />} />
        <Route path="transfers/:id" element={<ClaimTransfer />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
