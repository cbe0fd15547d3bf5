// The dashboard's entry: the style sheet, the pages (each registers itself), the shell.
import './style.css';

import { setSignIn, start } from './app';
import './overview';
import './promoters';
import './responses';
import './referrals';
import './imports';
import './webhooks';
import './growth';
import './experiments';
import './settings';
import { signInPage } from './signin';

setSignIn(signInPage);
start();
